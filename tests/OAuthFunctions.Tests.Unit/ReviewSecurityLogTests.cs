using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// Review of the security events (issue 9): reuse of a family token, of a code and of a pre-family token, a refresh
/// refused after a password change, and sign-in failures up to a lockout are all logged, and no entry holds a token,
/// a family id, a password or what was typed as a username.
/// </summary>
public sealed class ReviewSecurityLogTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task No_security_event_holds_a_token_a_family_id_or_a_password()
    {
        var entries = new ConcurrentQueue<string>();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new Capture(entries)));
        var security = new SecurityLog(loggers);
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));
        var options = new OAuthOptions { ClientCacheLifetime = TimeSpan.Zero };
        var scopes = new ScopeRegistry(options.Scopes);
        var tokens = new InMemoryTokenStore();
        var users = new InMemoryUserStore();
        var issuer = new TokenIssuer(options, scopes, time);
        var revocation = new TokenRevocation(tokens, security);
        var refresh = new RefreshTokenGrant(scopes, issuer, tokens, revocation, new ActiveUsers(users, options, time), security, time);
        var codeGrant = new AuthorizationCodeGrant(scopes, issuer, tokens, revocation, time);
        var client = TestClients.Confidential();
        var hasher = new CountingPasswordHasher(1_000);
        var user = new User { UserId = Guid.NewGuid().ToString("N"), Username = "alice", PasswordHash = string.Empty, SecurityStamp = User.NewSecurityStamp(), CreatedAt = time.GetUtcNow() };
        await users.AddAsync(user with { PasswordHash = hasher.HashPassword(user, Password) }, CancellationToken.None);
        var secrets = new List<string> { Password };

        // A family rotated, then its first token replayed.
        var first = issuer.Mint(client, new ResourceOwner(user.UserId, user.Username, user.SecurityStamp), 6, new RefreshPlan(6));
        await tokens.IssueAsync(first, CancellationToken.None);
        var second = (await refresh.HandleAsync(Refresh(client, first.Refresh!.Handle.Value), CancellationToken.None)).Value!;
        await refresh.HandleAsync(Refresh(client, first.Refresh.Handle.Value), CancellationToken.None);
        secrets.AddRange([first.Refresh.Handle.Value, first.Refresh.Handle.FamilyId!, first.Access.Handle.Value, second.Refresh!.Handle.Value, second.Access.Handle.Value]);

        // A code redeemed twice.
        var code = new NewCode(TokenHandle.Issue(TokenKind.AuthorizationCode, time.GetUtcNow().AddMinutes(5)), new TokenGrant(client.ClientId, user.UserId, user.Username, 6, time.GetUtcNow(), time.GetUtcNow().AddMinutes(5), user.SecurityStamp), TestClients.RedirectUri, false, null);
        await tokens.SaveCodeAsync(code, CancellationToken.None);
        var redeemed = (await codeGrant.HandleAsync(Code(client, code.Handle.Value), CancellationToken.None)).Value!;
        await codeGrant.HandleAsync(Code(client, code.Handle.Value), CancellationToken.None);
        secrets.AddRange([code.Handle.Value, redeemed.Access.Handle.Value, redeemed.Refresh!.Handle.Value, redeemed.Refresh.Handle.FamilyId!]);

        // A pre-family token used twice.
        var legacy = LegacyTokens.NewRefresh(expiresAt: null);
        tokens.SeedLegacy(legacy.Ref, new TokenGrant(client.ClientId, user.UserId, user.Username, 6, time.GetUtcNow(), null, user.SecurityStamp), null);
        var upgraded = (await refresh.HandleAsync(Refresh(client, legacy.Value), CancellationToken.None)).Value!;
        await refresh.HandleAsync(Refresh(client, legacy.Value), CancellationToken.None);
        secrets.AddRange([legacy.Value, upgraded.Refresh!.Handle.Value, upgraded.Refresh.Handle.FamilyId!]);

        // A refresh after a password change.
        var third = issuer.Mint(client, new ResourceOwner(user.UserId, user.Username, user.SecurityStamp), 6, new RefreshPlan(6));
        await tokens.IssueAsync(third, CancellationToken.None);
        await new UserAccounts(users).SetPasswordAsync(user.Username, hasher.HashPassword(user, "new password 123"), CancellationToken.None);
        await refresh.HandleAsync(Refresh(client, third.Refresh!.Handle.Value), CancellationToken.None);
        secrets.AddRange([third.Refresh.Handle.Value, third.Refresh.Handle.FamilyId!]);

        // Sign-in failures up to a lockout, and an "unknown user" that is really a password typed in the wrong field.
        var authenticator = new ResourceOwnerAuthenticator(users, new UserAccounts(users), hasher, new LoginThrottle(time), security, time);
        for (var i = 0; i < ResourceOwnerAuthenticator.MaxFailures + 1; i++)
        {
            var attempt = authenticator.SignInAsync(user.Username, "wrong guess " + i, "192.0.2.1", CancellationToken.None);
            time.Advance(ResourceOwnerAuthenticator.FailureFloor);
            await attempt;
            secrets.Add("wrong guess " + i);
        }

        var typo = authenticator.SignInAsync("Tr0ub4dor&3", "x", "192.0.2.1", CancellationToken.None);
        time.Advance(ResourceOwnerAuthenticator.FailureFloor);
        await typo;
        secrets.Add("Tr0ub4dor&3");

        var logged = entries.ToList();
        foreach (var id in new[] { 1001, 1003, 1004, 1020, 1021, 1022, 1023 })
        {
            Assert.Contains(logged, e => e.StartsWith(id + "|", StringComparison.Ordinal));
        }

        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logged, e => e.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static TokenRequest Refresh(Core.Clients.Client client, string token) =>
        new(GrantHarness.Post(new Dictionary<string, StringValues> { ["grant_type"] = "refresh_token", ["refresh_token"] = token }), client);

    private static TokenRequest Code(Core.Clients.Client client, string code) =>
        new(GrantHarness.Post(new Dictionary<string, StringValues> { ["grant_type"] = "authorization_code", ["code"] = code }), client);

    /// <summary>Every entry as "id|message|value|value…".</summary>
    private sealed class Capture(ConcurrentQueue<string> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(entries);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("|", pairs.Select(p => p.Value)) : string.Empty;
                entries.Enqueue($"{eventId.Id}|{formatter(state, exception)}|{values}");
            }
        }
    }
}
