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
/// Review of issue 9's races on Azurite, made deterministic: one request is held just before a chosen storage request
/// (its conditional commit or conditional delete) while another runs in full, then released. Also a fault in the
/// middle of a revocation, and what the next attempt does.
/// </summary>
public sealed class ReviewRaceTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Holds: a rotation held before its commit while RFC 7009 revokes the family loses (404) and removes its access token.</summary>
    [Fact]
    public async Task A_rotation_held_before_its_commit_while_the_family_is_revoked_leaves_nothing_live()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        using var hold = Hold(request => IsConditional(request, "PATCH") && OnFamily(request));

        var rotation = http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
        await hold.Reached;
        Assert.Equal(HttpStatusCode.OK, (await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", tokens.Str("refresh_token")))).StatusCode);
        hold.Release();

        var rotated = await rotation;
        await AssertDeadAsync(http, client, tokens, rotated);
    }

    /// <summary>Holds: a revocation held before its conditional delete while the family rotates marks it revoked and reaches the new live end.</summary>
    [Fact]
    public async Task A_revocation_held_before_its_conditional_delete_while_the_family_rotates_reaches_the_new_live_end()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        using var hold = Hold(request => IsConditional(request, "DELETE") && OnFamily(request));

        var revocation = http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", tokens.Str("refresh_token")));
        await hold.Reached;
        var rotated = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        hold.Release();

        Assert.Equal(HttpStatusCode.OK, (await revocation).StatusCode);
        await AssertInactiveAsync(http, client, rotated.Str("access_token"));
        await AssertInactiveAsync(http, client, rotated.Str("refresh_token"));
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", rotated.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    /// <summary>Holds: a pre-family upgrade held before its commit while RFC 7009 revokes the old token loses, and leaves no family.</summary>
    [Fact]
    public async Task A_pre_family_upgrade_held_before_its_commit_while_the_token_is_revoked_leaves_nothing_live()
    {
        var (client, legacy, oldAccess) = await LegacyAsync();
        using var http = _server.CreateClient();
        using var hold = Hold(request => IsConditional(request, "PATCH") && OnRow(request, legacy.Ref));

        var upgrade = http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", legacy.Value));
        await hold.Reached;
        Assert.Equal(HttpStatusCode.OK, (await http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", legacy.Value))).StatusCode);
        hold.Release();

        var upgraded = await upgrade;
        if (upgraded.StatusCode == HttpStatusCode.OK)
        {
            var pair = await upgraded.JsonAsync();
            await AssertInactiveAsync(http, client, pair.Str("access_token"));
            await AssertInactiveAsync(http, client, pair.Str("refresh_token"));
        }

        await AssertInactiveAsync(http, client, oldAccess.Value);
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", legacy.Value)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    /// <summary>Holds: RFC 7009 on a pre-family token, held before its conditional delete while the token is upgraded, follows it into the new family.</summary>
    [Fact]
    public async Task A_pre_family_revocation_held_before_its_delete_while_the_token_is_upgraded_ends_the_new_family()
    {
        var (client, legacy, _) = await LegacyAsync();
        using var http = _server.CreateClient();
        using var hold = Hold(request => IsConditional(request, "DELETE") && OnRow(request, legacy.Ref));

        var revocation = http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", legacy.Value));
        await hold.Reached;
        var upgraded = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", legacy.Value)));
        hold.Release();

        Assert.Equal(HttpStatusCode.OK, (await revocation).StatusCode);
        await AssertInactiveAsync(http, client, upgraded.Str("access_token"));
        await AssertInactiveAsync(http, client, upgraded.Str("refresh_token"));
    }

    /// <summary>
    /// Holds, with a window: a revocation that met a concurrent rotation marks the family revoked; a 503 on the delete of
    /// the new live access token then answers 503 and leaves that access token active at introspection (which never
    /// reads the family). The next use of any token of the family (here the thief's live refresh token) finishes the job.
    /// </summary>
    [Fact]
    public async Task A_fault_after_the_revoked_mark_is_finished_by_the_next_use_of_the_family()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        JsonElement rotated;
        HttpResponseMessage revoked;
        using (var hold = Hold(request => IsConditional(request, "DELETE") && OnFamily(request)))
        {
            var revocation = http.AuthenticatedPostAsync("/oauth2/revoke", client, ("token", tokens.Str("refresh_token")));
            await hold.Reached;
            rotated = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
            Assert.True(TokenHandle.TryParse(rotated.Str("access_token"), out var live));
            var liveRow = TableKeys.TokenRow(live!.Ref);
            _server.Faults.FailWith503(request => request.Method == RequestMethod.Delete && Uri.UnescapeDataString(request.Uri.Path).Contains(liveRow, StringComparison.Ordinal));
            hold.ReleaseOnly();
            revoked = await revocation;
        }

        _server.Faults.Clear();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, revoked.StatusCode);

        // The window: the family is marked revoked, its live access token still introspects as active.
        var window = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", rotated.Str("access_token"))));
        Assert.True(window.GetProperty("active").GetBoolean());

        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", rotated.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
        await AssertInactiveAsync(http, client, rotated.Str("access_token"));
        await AssertInactiveAsync(http, client, rotated.Str("refresh_token"));
    }

    /// <summary>Holds: a family token presented by another client is neither revoked nor described by RFC 7009, and a forged secret of another client's family changes nothing.</summary>
    [Fact]
    public async Task Another_clients_family_token_or_forgery_is_refused_and_the_family_lives()
    {
        var (client, tokens) = await _server.PasswordTokensAsync();
        var other = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        Assert.True(TokenHandle.TryParse(tokens.Str("refresh_token"), out var handle));
        var forged = TokenHandle.IssueRefresh(handle!.FamilyId!).Value;

        var revoke = await http.AuthenticatedPostAsync("/oauth2/revoke", other, ("token", tokens.Str("refresh_token")));
        Assert.Equal(HttpStatusCode.BadRequest, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.AuthenticatedPostAsync("/oauth2/revoke", other, ("token", forged))).StatusCode);
        await OAuthAssert.ErrorAsync(await http.TokenAsync(other, ("grant_type", "refresh_token"), ("refresh_token", forged)), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("access_token"))), HttpStatusCode.BadRequest, "invalid_grant");

        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
    }

    private async Task<(TestClient Client, TokenHandle Legacy, TokenHandle OldAccess)> LegacyAsync()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("race-" + Guid.NewGuid().ToString("N")[..10], ServerExtensions.Password);
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

    private Holder Hold(Func<Request, bool> match)
    {
        var holder = new Holder(_server.Faults);
        _server.Faults.FailWith503(holder.Predicate(match));
        return holder;
    }

    private static bool IsConditional(Request request, string method) =>
        request.Method.Method == method && request.Headers.TryGetValue("If-Match", out var etag) && etag != "*";

    private static bool OnFamily(Request request) => Uri.UnescapeDataString(request.Uri.Path).Contains("PartitionKey='f", StringComparison.Ordinal);

    private static bool OnRow(Request request, TokenRef token) => Uri.UnescapeDataString(request.Uri.Path).Contains(TableKeys.TokenRow(token), StringComparison.Ordinal);

    private static async Task AssertDeadAsync(HttpClient http, TestClient client, JsonElement first, HttpResponseMessage rotated)
    {
        if (rotated.StatusCode == HttpStatusCode.OK)
        {
            var pair = await rotated.JsonAsync();
            await AssertInactiveAsync(http, client, pair.Str("access_token"));
            await AssertInactiveAsync(http, client, pair.Str("refresh_token"));
        }
        else
        {
            await OAuthAssert.ErrorAsync(rotated, HttpStatusCode.BadRequest, "invalid_grant");
        }

        await AssertInactiveAsync(http, client, first.Str("access_token"));
        await AssertInactiveAsync(http, client, first.Str("refresh_token"));
    }

    private static async Task AssertInactiveAsync(HttpClient http, TestClient client, string token)
    {
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token)));
        Assert.Equal(JsonValueKind.False, answer.GetProperty("active").ValueKind);
    }

    /// <summary>Holds the first matching storage request (on its pipeline thread) until released; lets everything through.</summary>
    private sealed class Holder(StorageFaultInjector faults) : IDisposable
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new(false);
        private int _used;

        public Task Reached => _reached.Task.WaitAsync(TimeSpan.FromSeconds(20));

        public Func<Request, bool> Predicate(Func<Request, bool> match) => request =>
        {
            if (match(request) && Interlocked.Exchange(ref _used, 1) == 0)
            {
                _reached.TrySetResult();
                _release.Wait(TimeSpan.FromSeconds(30));
            }

            return false;
        };

        /// <summary>Releases the held request and stops matching.</summary>
        public void Release()
        {
            faults.Clear();
            _release.Set();
        }

        /// <summary>Releases the held request, leaving whatever the injector is armed with now.</summary>
        public void ReleaseOnly() => _release.Set();

        // The event is not disposed: a held pipeline thread may still be waking from it.
        public void Dispose() => _release.Set();
    }
}
