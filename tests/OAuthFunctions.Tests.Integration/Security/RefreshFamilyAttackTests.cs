using System.Net;
using System.Text.Json;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Security;

/// <summary>
/// A thief who rotates a stolen refresh token as often as they like cannot outrun reuse detection (RFC 9700
/// §4.14.2): when the victim's app presents an older token of the family, the family's live end dies at once, for
/// the same number of storage requests whether the family was rotated twice or a thousand times.
/// </summary>
public sealed class RefreshFamilyAttackTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Replaying_the_first_token_costs_the_same_after_2_and_1000_rotations_and_kills_the_live_end()
    {
        var shortFamily = await ReplayAfterRotationsAsync(2);
        var longFamily = await ReplayAfterRotationsAsync(1000);

        Assert.InRange(longFamily, shortFamily - 2, shortFamily + 2);
    }

    [Fact]
    public async Task A_rotation_racing_a_revocation_never_leaves_a_live_token()
    {
        for (var round = 0; round < 20; round++)
        {
            var (client, tokens) = await _server.PasswordTokensAsync();
            using var http = _server.CreateClient();
            var refreshToken = tokens.Str("refresh_token");

            var rotation = http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken));
            var revocation = http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", refreshToken));
            await Task.WhenAll(rotation, revocation);

            Assert.Equal(HttpStatusCode.OK, (await revocation).StatusCode);
            var rotated = await rotation;
            if (rotated.StatusCode == HttpStatusCode.OK)
            {
                // The rotation won: its pair was answered, and the revocation that followed must have ended it.
                var pair = await rotated.JsonAsync();
                await AssertInactiveAsync(http, client, pair.Str("access_token"));
                await AssertInactiveAsync(http, client, pair.Str("refresh_token"));
            }

            await AssertInactiveAsync(http, client, tokens.Str("access_token"));
            await AssertInactiveAsync(http, client, refreshToken);
        }
    }

    [Fact]
    public async Task A_thief_and_the_victim_racing_with_one_token_both_lose()
    {
        for (var round = 0; round < 20; round++)
        {
            var (client, tokens) = await _server.PasswordTokensAsync();
            using var http = _server.CreateClient();
            var stolen = tokens.Str("refresh_token");

            var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", stolen))));

            // At most one rotation wins; the other presentation is reuse, which ends the family, winner included.
            Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) <= 1);
            foreach (var answer in answers.Where(a => a.StatusCode == HttpStatusCode.OK))
            {
                var pair = await answer.JsonAsync();
                await AssertInactiveAsync(http, client, pair.Str("access_token"));
                await AssertInactiveAsync(http, client, pair.Str("refresh_token"));
            }
        }
    }

    /// <summary>Rotates a new family <paramref name="rotations"/> times, replays its first refresh token, returns what the replay cost.</summary>
    private async Task<int> ReplayAfterRotationsAsync(int rotations)
    {
        var (client, first) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        var live = first;
        for (var i = 0; i < rotations; i++)
        {
            live = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", live.Str("refresh_token"))));
        }

        _server.Counter.Reset();
        var replay = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token")));
        var cost = _server.Counter.Count;
        await OAuthAssert.ErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");

        // The live end is dead before the replay was answered.
        await AssertInactiveAsync(http, client, live.Str("access_token"));
        await AssertInactiveAsync(http, client, live.Str("refresh_token"));
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", live.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
        return cost;
    }

    private static async Task AssertInactiveAsync(HttpClient http, TestClient client, string token)
    {
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token)));
        Assert.Equal(JsonValueKind.False, answer.GetProperty("active").ValueKind);
    }
}
