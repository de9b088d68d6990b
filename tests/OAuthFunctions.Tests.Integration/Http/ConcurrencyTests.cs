using System.Net;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Http;

/// <summary>
/// Single use under concurrency, on real Table Storage semantics: of 20 simultaneous redemptions of one code, or
/// refreshes of one refresh token, exactly one succeeds. Each case runs several rounds.
/// </summary>
public sealed class ConcurrencyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Parallel = 20;
    private const int Rounds = 5;

    [Fact]
    public async Task Of_twenty_simultaneous_code_redemptions_exactly_one_succeeds()
    {
        var server = fixture.Server;
        for (var round = 0; round < Rounds; round++)
        {
            var client = await server.AddClientAsync();
            var user = await server.AddUserAsync($"race-code-{round}-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
            var code = await server.IssueCodeAsync(client, user);
            var statuses = await RaceAsync(server, http => http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(Parallel - 1, statuses.Count(s => s == HttpStatusCode.BadRequest));
        }
    }

    [Fact]
    public async Task Of_twenty_simultaneous_refreshes_of_a_never_expiring_token_exactly_one_succeeds()
    {
        await RefreshRaceAsync(fixture.Server);
    }

    [Fact]
    public async Task Of_twenty_simultaneous_refreshes_of_an_expiring_token_exactly_one_succeeds()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.With("OAuth:RefreshTokenLifetime", "30.00:00:00"));
        await RefreshRaceAsync(server);
    }

    private static async Task RefreshRaceAsync(OAuthTestServer server)
    {
        for (var round = 0; round < Rounds; round++)
        {
            var client = await server.AddClientAsync();
            var user = await server.AddUserAsync($"race-refresh-{round}-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
            using var http = server.CreateClient();
            var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", "correct horse")));
            var statuses = await RaceAsync(server, h => h.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(Parallel - 1, statuses.Count(s => s == HttpStatusCode.BadRequest));
        }
    }

    private static async Task<HttpStatusCode[]> RaceAsync(OAuthTestServer server, Func<HttpClient, Task<HttpResponseMessage>> request)
    {
        var clients = Enumerable.Range(0, Parallel).Select(_ => server.CreateClient()).ToList();
        try
        {
            using var start = new SemaphoreSlim(0);
            var racers = clients.Select(async http =>
            {
                await start.WaitAsync();
                return (await request(http)).StatusCode;
            }).ToList();
            start.Release(Parallel);
            return await Task.WhenAll(racers);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
