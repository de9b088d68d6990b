using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>The token grants wired to the in-memory stores: each grant's rules run in milliseconds, without storage.</summary>
internal sealed class GrantHarness
{
    public GrantHarness(TimeSpan? refreshLifetime = null)
    {
        Options = new OAuthOptions { RefreshTokenLifetime = refreshLifetime, ClientCacheLifetime = TimeSpan.Zero };
        var scopes = new ScopeRegistry(Options.Scopes);
        Issuer = new TokenIssuer(Options, scopes, Time);
        var revocation = new TokenRevocation(Tokens, TestClients.Security);
        var active = new ActiveUsers(Users, Options, Time);
        Refresh = new RefreshTokenGrant(scopes, Issuer, Tokens, revocation, active, TestClients.Security, Time);
        Code = new AuthorizationCodeGrant(scopes, Issuer, Tokens, revocation, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

    public OAuthOptions Options { get; }

    public InMemoryTokenStore Tokens { get; } = new();

    public InMemoryUserStore Users { get; } = new();

    public TokenIssuer Issuer { get; }

    public RefreshTokenGrant Refresh { get; }

    public AuthorizationCodeGrant Code { get; }

    public Client Client { get; } = TestClients.Confidential();

    public async Task<User> AddUserAsync(string username = "alice")
    {
        var user = new User { UserId = Guid.NewGuid().ToString("N"), Username = username, PasswordHash = "x", SecurityStamp = User.NewSecurityStamp(), CreatedAt = Time.GetUtcNow() };
        await Users.AddAsync(user, CancellationToken.None);
        return (await Users.FindAsync(username, CancellationToken.None))!;
    }

    /// <summary>A new family for <paramref name="user"/>, as the password grant or a code exchange starts it.</summary>
    public async Task<NewTokenPair> StartFamilyAsync(User user, int scope = 6)
    {
        var pair = Issuer.Mint(Client, new ResourceOwner(user.UserId, user.Username, user.SecurityStamp), scope, new RefreshPlan(scope));
        await Tokens.IssueAsync(pair, CancellationToken.None);
        return pair;
    }

    public Task<Core.Errors.Result<NewTokenPair>> RefreshAsync(string refreshToken, string? scope = null, Client? client = null)
    {
        var form = new Dictionary<string, StringValues> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return Refresh.HandleAsync(new TokenRequest(Post(form), client ?? Client), CancellationToken.None);
    }

    public static OAuthRequest Post(Dictionary<string, StringValues> form) => new()
    {
        Method = "POST",
        Origin = "https://as.example",
        Form = form,
        HasFormBody = true,
    };
}
