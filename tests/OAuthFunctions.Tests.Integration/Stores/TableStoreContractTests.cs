using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;
using OAuthFunctions.Testing.Contracts;

namespace OAuthFunctions.Tests.Integration.Stores;

/// <summary>The Table Storage token store on Azurite keeps the store contract (the same suite runs in memory).</summary>
public sealed class TableTokenStoreContractTests : TokenStoreContract
{
    private OAuthTestServer _server = null!;

    protected override ITokenStore Store => _server.Tokens;

    public override async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync();

    public override async Task DisposeAsync() => await _server.DisposeAsync();

    protected override async Task<StoredLegacyRefreshToken> SeedLegacyAsync(TokenHandle handle, TokenGrant grant, TokenRef? accessToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var row = TokenEntity.From(TableKeys.TokenPartition(handle.Ref), TableKeys.TokenRow(handle.Ref), grant);
        row.AccessToken = accessToken?.ToString();
        row.Rotated = false;
        await _server.Tables.Tokens.AddEntityAsync(row);
        return (await Store.FindLegacyRefreshTokenAsync(handle.Ref, default))!;
    }
}

/// <summary>The Table Storage user store on Azurite keeps the store contract.</summary>
public sealed class TableUserStoreContractTests : UserStoreContract
{
    private OAuthTestServer _server = null!;

    protected override IUserStore Store => _server.Services.GetService(typeof(IUserStore)) as IUserStore ?? throw new InvalidOperationException();

    public override async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync();

    public override async Task DisposeAsync() => await _server.DisposeAsync();
}
