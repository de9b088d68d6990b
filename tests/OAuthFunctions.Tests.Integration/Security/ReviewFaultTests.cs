using System.Net;
using System.Text.Json;
using Azure.Core;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;
using OAuthFunctions.Testing.Contracts;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Security;

/// <summary>
/// Review of issue 9's fault handling on the commits it added: a rotation's and a pre-family upgrade's conditional
/// update whose answer is lost, or that fails, and a family revocation whose delete answer is lost. No SDK retries, so
/// each injected fault is seen by the store.
/// </summary>
public sealed class ReviewFaultTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o =>
    {
        o.StorageRetries = 0;
        o.With("OAuth:ClientCacheLifetime", "00:00:00");
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Holds: the rotation landed, only its answer was lost: the client gets the new pair and it is the live one.</summary>
    [Fact]
    public async Task A_rotation_whose_commit_answer_was_lost_succeeds_with_a_live_pair()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        _server.Faults.LoseAnswer(request => request.Method == RequestMethod.Patch && OnFamily(request));

        var rotated = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        _server.Faults.Clear();

        await AssertActiveAsync(http, client, rotated.Str("access_token"), true);
        await AssertActiveAsync(http, client, tokens.Str("access_token"), false);
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", rotated.Str("refresh_token"))));
    }

    /// <summary>Holds: the upgrade landed, only its answer was lost: the client gets the new family's pair.</summary>
    [Fact]
    public async Task A_pre_family_upgrade_whose_commit_answer_was_lost_succeeds_with_a_live_pair()
    {
        var (client, legacy, oldAccess) = await LegacyAsync();
        using var http = _server.CreateClient();
        _server.Faults.LoseAnswer(request => request.Method == RequestMethod.Patch && OnRow(request, legacy.Ref));

        var upgraded = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", legacy.Value)));
        _server.Faults.Clear();

        await AssertActiveAsync(http, client, upgraded.Str("access_token"), true);
        await AssertActiveAsync(http, client, oldAccess.Value, false);
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", upgraded.Str("refresh_token"))));
    }

    /// <summary>
    /// Holds: an upgrade whose commit surely failed answers 503 and leaves nothing of the attempted family (no family
    /// row, no access token); the client's retry with the same token upgrades it.
    /// </summary>
    [Fact]
    public async Task A_pre_family_upgrade_whose_commit_failed_leaves_no_family_and_can_be_retried()
    {
        var (client, legacy, _) = await LegacyAsync();
        using var http = _server.CreateClient();
        _server.Faults.FailWith503(request => request.Method == RequestMethod.Patch && OnRow(request, legacy.Ref));

        var failed = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", legacy.Value));
        _server.Faults.Clear();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        var families = _server.Tables.Tokens.QueryAsync<TokenEntity>("Current gt ''");
        var left = 0;
        await foreach (var _ in families)
        {
            left++;
        }

        Assert.Equal(0, left);
        var retried = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", legacy.Value)));
        await AssertActiveAsync(http, client, retried.Str("access_token"), true);
    }

    /// <summary>Holds, over-cautiously: a replay whose family delete landed but lost its answer gets 503, yet the family is dead and the retry is a clean 400.</summary>
    [Fact]
    public async Task A_reuse_revocation_whose_delete_answer_was_lost_still_leaves_the_family_dead()
    {
        var (client, first) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        var live = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token"))));
        _server.Faults.LoseAnswer(request => request.Method == RequestMethod.Delete && OnFamily(request));

        var replay = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token")));
        _server.Faults.Clear();

        Assert.Contains(replay.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.ServiceUnavailable });
        await AssertActiveAsync(http, client, live.Str("access_token"), false);
        await AssertActiveAsync(http, client, live.Str("refresh_token"), false);
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    private async Task<(TestClient Client, TokenHandle Legacy, TokenHandle OldAccess)> LegacyAsync()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("fault-" + Guid.NewGuid().ToString("N")[..10], ServerExtensions.Password);
        var now = DateTimeOffset.UtcNow;
        var grant = new TokenGrant(client.ClientId, user.UserId, user.Username, _server.Scopes.ToInt("read"), now, null);
        var access = new NewTokenPair(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, now.AddHours(1)), grant with { ExpiresAt = now.AddHours(1) }), null);
        await _server.Tokens.IssueAsync(access, CancellationToken.None);
        var legacy = LegacyTokens.NewRefresh(expiresAt: null);
        var row = TokenEntity.From(TableKeys.TokenPartition(legacy.Ref), TableKeys.TokenRow(legacy.Ref), grant);
        row.Rotated = false;
        row.AccessToken = access.Access.Handle.Ref.ToString();
        await _server.Tables.Tokens.AddEntityAsync(row);
        return (client, legacy, access.Access.Handle);
    }

    private static bool OnFamily(Request request) => Uri.UnescapeDataString(request.Uri.Path).Contains("PartitionKey='f", StringComparison.Ordinal);

    private static bool OnRow(Request request, TokenRef token) => Uri.UnescapeDataString(request.Uri.Path).Contains(TableKeys.TokenRow(token), StringComparison.Ordinal);

    private static async Task AssertActiveAsync(HttpClient http, TestClient client, string token, bool active)
    {
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token)));
        Assert.Equal(active ? JsonValueKind.True : JsonValueKind.False, answer.GetProperty("active").ValueKind);
    }
}
