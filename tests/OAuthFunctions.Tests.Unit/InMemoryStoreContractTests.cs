using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>The in-memory token store keeps the contract the Table store keeps (the same suite runs on Azurite).</summary>
public sealed class InMemoryTokenStoreContractTests : TokenStoreContract
{
    private readonly InMemoryTokenStore _store = new();

    protected override ITokenStore Store => _store;

    protected override Task<StoredLegacyRefreshToken> SeedLegacyAsync(TokenHandle handle, TokenGrant grant, TokenRef? accessToken) =>
        Task.FromResult(_store.SeedLegacy(handle.Ref, grant, accessToken));
}

/// <summary>The in-memory user store keeps the contract the Table store keeps.</summary>
public sealed class InMemoryUserStoreContractTests : UserStoreContract
{
    protected override IUserStore Store { get; } = new InMemoryUserStore();
}
