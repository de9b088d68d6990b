using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Storage;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Storage.Maintenance;
using OAuthFunctions.Testing;
using OAuthFunctions.Testing.Contracts;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Security;

/// <summary>
/// Review of issue 9's budgets (refresh ≤ 6, code exchange ≤ 5, revoke ≤ 4) on the paths the change added or kept:
/// the pre-family token's upgrade and revocation, a code replay, and the reuse walk through a chain rotated before
/// families. Counted by the pipeline policy on the table clients, with no cache.
/// </summary>
public sealed class ReviewStorageCostTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o
        .With("OAuth:ClientCacheLifetime", "00:00:00")
        .With("OAuth:RefreshTokenLifetime", "30.00:00:00"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// Upgrading a pre-family refresh token is a refresh_token request, but it writes an access token, a family row and
    /// a tombstone (or the used token's tombstone), deletes the old access token and commits: with the client, token and
    /// user reads that is 8 requests, once per token issued before families (docs/ARCHITECTURE.md, storage costs).
    /// </summary>
    [Fact]
    public async Task Upgrading_a_pre_family_refresh_token_costs_at_most_eight_requests_once()
    {
        var (client, user) = await NewClientAndUserAsync();
        var chain = await SeedChainAsync(client, user, links: 1);
        using var http = _server.CreateClient();

        _server.Counter.Reset();
        var answer = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", chain[0].Value));
        var cost = _server.Counter.Count;
        var sent = string.Join(Environment.NewLine, _server.Counter.Requests);

        await OAuthAssert.SuccessAsync(answer);
        Assert.True(cost <= 8, $"{cost} requests > 8:{Environment.NewLine}{sent}");
    }

    /// <summary>RFC 7009 on a pre-family token that was used (now a family): client, legacy read, family read and two deletes.</summary>
    [Fact]
    public async Task Revoking_a_used_pre_family_refresh_token_costs_at_most_five_requests()
    {
        var (client, user) = await NewClientAndUserAsync();
        var chain = await SeedChainAsync(client, user, links: 1);
        using var http = _server.CreateClient();
        var upgraded = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", chain[0].Value)));

        _server.Counter.Reset();
        var answer = await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", chain[0].Value));
        var cost = _server.Counter.Count;
        var sent = string.Join(Environment.NewLine, _server.Counter.Requests);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await AssertInactiveAsync(http, client, upgraded.Str("access_token"));
        Assert.True(cost <= 5, $"{cost} requests > 5:{Environment.NewLine}{sent}");
    }

    /// <summary>
    /// A code replay deletes the code's access token, reads the family, and deletes the family's live access token
    /// (the same row, when the family has not rotated) and the family row: 6 requests, one of them a repeated delete.
    /// </summary>
    [Fact]
    public async Task Replaying_a_code_costs_at_most_five_requests()
    {
        var (client, user) = await NewClientAndUserAsync();
        var code = await _server.IssueCodeAsync(client, user);
        using var http = _server.CreateClient();
        var first = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));

        _server.Counter.Reset();
        var replay = await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri));
        var cost = _server.Counter.Count;
        var sent = string.Join(Environment.NewLine, _server.Counter.Requests);

        await OAuthAssert.ErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");
        await AssertInactiveAsync(http, client, first.Str("access_token"));
        await AssertInactiveAsync(http, client, first.Str("refresh_token"));
        Assert.True(cost <= 5, $"{cost} requests > 5:{Environment.NewLine}{sent}");
    }

    /// <summary>
    /// Chains rotated before families are walked one read per link on reuse (TokenRevocation.RevokeLegacyAsync), so an
    /// operator upgrading a server that issued them runs <c>oauthctl tokens compact-legacy</c> once: every used token then
    /// points at the end of its chain, and replaying the first token of a chain costs the same whatever its length.
    /// </summary>
    [Fact]
    public async Task Replaying_the_head_of_a_pre_family_chain_costs_the_same_for_2_and_40_links_once_compacted()
    {
        var shortChain = await ReplayHeadAsync(links: 2);
        var longChain = await ReplayHeadAsync(links: 40);

        Assert.True(Math.Abs(longChain - shortChain) <= 2, $"Replaying the head of a pre-family chain cost {shortChain} requests with 2 links and {longChain} with 40.");
    }

    private async Task<int> ReplayHeadAsync(int links)
    {
        var (client, user) = await NewClientAndUserAsync();
        var chain = await SeedChainAsync(client, user, links);
        await _server.Services.GetRequiredService<TokenAdministration>().CompactLegacyChainsAsync(CancellationToken.None);
        using var http = _server.CreateClient();

        _server.Counter.Reset();
        var replay = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", chain[0].Value));
        var cost = _server.Counter.Count;

        await OAuthAssert.ErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", chain[^1].Value)), HttpStatusCode.BadRequest, "invalid_grant");
        return cost;
    }

    private async Task<(TestClient Client, User User)> NewClientAndUserAsync()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("review-" + Guid.NewGuid().ToString("N")[..10], ServerExtensions.Password);
        return (client, user);
    }

    /// <summary>
    /// Writes a chain of <paramref name="links"/> refresh tokens as the server before families left it: every link but
    /// the last rotated, pointing at its successor's row; the last live, with its access token. Returns the values.
    /// </summary>
    private async Task<List<TokenHandle>> SeedChainAsync(TestClient client, User user, int links)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = now.AddDays(30);
        var grant = new TokenGrant(client.ClientId, user.UserId, user.Username, _server.Scopes.ToInt("read"), now, expires);
        var handles = Enumerable.Range(0, links).Select(_ => LegacyTokens.NewRefresh(expires)).ToList();
        var access = new NewTokenPair(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, now.AddHours(1)), grant with { ExpiresAt = now.AddHours(1) }), null);
        await _server.Tokens.IssueAsync(access, CancellationToken.None);
        for (var i = 0; i < links; i++)
        {
            var row = TokenEntity.From(TableKeys.TokenPartition(handles[i].Ref), TableKeys.TokenRow(handles[i].Ref), grant);
            var last = i == links - 1;
            row.Rotated = !last;
            row.Successor = last ? null : handles[i + 1].Ref.ToString();
            row.AccessToken = last ? access.Access.Handle.Ref.ToString() : null;
            await _server.Tables.Tokens.AddEntityAsync(row);
        }

        return handles;
    }

    private static async Task AssertInactiveAsync(HttpClient http, TestClient client, string token)
    {
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token)));
        Assert.Equal(System.Text.Json.JsonValueKind.False, answer.GetProperty("active").ValueKind);
    }
}
