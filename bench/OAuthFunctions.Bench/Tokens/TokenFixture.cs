using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench.Tokens;

/// <summary>A server with one confidential client and one user, and the HTTP client that calls it.</summary>
internal sealed class TokenFixture : IAsyncDisposable
{
    private const int SetupParallelism = 16;

    private TokenFixture(OAuthTestServer server, TestClient client, User user)
    {
        Server = server;
        Client = client;
        User = user;
        Http = server.CreateClient();
    }

    public OAuthTestServer Server { get; }

    public TestClient Client { get; }

    public User User { get; }

    public HttpClient Http { get; }

    /// <summary>Starts a server; <paramref name="cacheClients"/> false sets <c>OAuth:ClientCacheLifetime</c> to 0.</summary>
    public static async Task<TokenFixture> StartAsync(bool cacheClients)
    {
        var server = await OAuthTestServer.StartAsync(o =>
        {
            o.Quiet();
            if (!cacheClients)
            {
                o.With("OAuth:ClientCacheLifetime", "00:00:00");
            }
        });
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync("bench-" + Guid.NewGuid().ToString("N")[..8], "correct horse battery");
        return new TokenFixture(server, client, user);
    }

    /// <summary>Codes issued through the store, as approval on the consent page would.</summary>
    public Task<string[]> CodesAsync(int count) =>
        ParallelAsync(count, () => Server.IssueCodeAsync(Client, User));

    /// <summary>An access token (and a never-expiring refresh token of a new family) per item, as the password grant would store them.</summary>
    public Task<NewTokenPair[]> PairsAsync(int count, bool withRefresh) =>
        ParallelAsync(count, async () =>
        {
            var now = Server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var expires = now + TimeSpan.FromDays(365);
            var scope = Server.Scopes.ToInt("read");
            var pair = new NewTokenPair(
                new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expires), new TokenGrant(Client.ClientId, User.UserId, User.Username, scope, now, expires, User.SecurityStamp)),
                withRefresh ? new NewToken(TokenHandle.IssueRefresh(FamilyKey.NewId()), new TokenGrant(Client.ClientId, User.UserId, User.Username, scope, now, null, User.SecurityStamp)) : null);
            await Server.Tokens.IssueAsync(pair, CancellationToken.None);
            return pair;
        });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var table in Server.Tables.All)
        {
            await table.DeleteAsync(CancellationToken.None);
        }

        await Server.DisposeAsync();
    }

    private static async Task<T[]> ParallelAsync<T>(int count, Func<Task<T>> create)
    {
        var items = new T[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism }, async (i, _) => items[i] = await create());
        return items;
    }
}
