using System.Net;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;
using OAuthFunctions.LocalHost;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Security;

/// <summary>
/// A reviewer's attack on the reads started before client authentication (docs/PERFORMANCE.md, "Sequential depth";
/// <c>ReadAhead</c>): a wrong secret with a victim's token, what an unauthenticated request can make storage do, faults in
/// the read ahead, the user check running alongside the rotation's writes, races, and whether what was read ahead can
/// serve another client. A failing test is a finding; a passing one documents what holds.
/// </summary>
public sealed class ReviewReadAheadTests : IAsyncLifetime
{
    private const string WrongSecret = "not-the-secret-at-all";

    /// <summary>Time for a read left running after a refusal to reach the counter.</summary>
    private static readonly TimeSpan Straggle = TimeSpan.FromMilliseconds(400);

    private static readonly string DjangoFixture = System.IO.Path.Combine(
        AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("No repository root."),
        "tests", "fixtures", "django", "dump.json");

    private OAuthTestServer _server = null!;

    public static TheoryData<string> Paths => new() { "/oauth2/access_token", "/oauth2/revoke", "/oauth2/introspect" };

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o =>
    {
        o.StorageRetries = 0;
        o.With("OAuth:ClientCacheLifetime", "00:00:00");
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // ---- (1) A wrong secret with a victim's valid tokens ----

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_wrong_secret_with_a_victims_refresh_token_is_invalid_client_and_the_family_lives(string path)
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        _server.Counter.Reset();

        var response = await http.PostFormAsync(path, Attempt(victim, tokens.Str("refresh_token")));

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        await Task.Delay(Straggle);
        AssertOnlyReads($"{path} with a wrong secret");
        await AssertActiveAsync(http, victim, tokens.Str("access_token"), true, $"the victim's access token died after a wrong-secret {path}");
        await AssertActiveAsync(http, victim, tokens.Str("refresh_token"), true, $"the victim's refresh token was rotated or revoked by a wrong-secret {path}");
        var refreshed = await http.TokenAsync(victim, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
        Assert.True(refreshed.StatusCode == HttpStatusCode.OK, $"the victim could no longer refresh after a wrong-secret {path}: {(int)refreshed.StatusCode} {await refreshed.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("/oauth2/revoke", false)]
    [InlineData("/oauth2/revoke", true)]
    [InlineData("/oauth2/introspect", false)]
    [InlineData("/oauth2/introspect", true)]
    public async Task A_wrong_secret_with_a_victims_access_token_is_invalid_client_and_answers_nothing(string path, bool basic)
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        _server.Counter.Reset();

        var response = basic
            ? await http.PostFormAsync(path, OAuthTestServer.Basic(victim.ClientId, WrongSecret), ("token", tokens.Str("access_token")))
            : await http.PostFormAsync(path, ("client_id", victim.ClientId), ("client_secret", WrongSecret), ("token", tokens.Str("access_token")));

        var body = await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.False(body.TryGetProperty("active", out _), $"{path} with a wrong secret answered about the token: {body}");
        await Task.Delay(Straggle);
        AssertOnlyReads($"{path} with a wrong secret (basic: {basic})");
        await AssertActiveAsync(http, victim, tokens.Str("access_token"), true, $"a wrong-secret {path} revoked the victim's access token");
    }

    // ---- (2) What an unauthenticated request costs ----

    [Theory]
    [InlineData("/oauth2/access_token", "refresh")]
    [InlineData("/oauth2/access_token", "code")]
    [InlineData("/oauth2/revoke", "access")]
    [InlineData("/oauth2/revoke", "refresh")]
    [InlineData("/oauth2/introspect", "access")]
    [InlineData("/oauth2/introspect", "refresh")]
    [InlineData("/oauth2/introspect", "legacy")]
    public async Task Own_format_garbage_with_a_wrong_secret_costs_at_most_the_client_read_and_one_point_read(string path, string kind)
    {
        var client = await _server.AddClientAsync();
        var garbage = OwnFormat(kind);
        using var http = _server.CreateClient();
        _server.Counter.Reset();

        var response = await http.PostFormAsync(path, Attempt(client, garbage, kind == "code" ? "authorization_code" : "refresh_token"));

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        await Task.Delay(Straggle);
        AssertOnlyReads($"{path} with own-format garbage ({kind})");
        Assert.True(
            _server.Counter.Count <= 2 && On("Clients").Count() == 1 && On("Tokens").Count() <= 1,
            $"{path}: an unauthenticated own-format {kind} token cost more than the client read and one point read:{Environment.NewLine}{Listing()}");
    }

    /// <summary>
    /// Before the change an anonymous request (no client_id, no Authorization header) made no storage request at all: it
    /// is refused before anything is read, and PresentedToken's own contract says "an anonymous caller cannot make it read
    /// anything". The read ahead now starts for it too, for a client that cannot possibly authenticate.
    /// </summary>
    [Theory]
    [InlineData("/oauth2/access_token", "refresh")]
    [InlineData("/oauth2/revoke", "access")]
    [InlineData("/oauth2/introspect", "access")]
    public async Task A_request_with_no_client_credentials_at_all_reads_nothing(string path, string kind)
    {
        using var http = _server.CreateClient();
        _server.Counter.Reset();

        var response = await http.PostFormAsync(path, ("grant_type", "refresh_token"), ("refresh_token", OwnFormat(kind)), ("token", OwnFormat(kind)));

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        await Task.Delay(Straggle);
        Assert.True(_server.Counter.Count == 0, $"{path}: a request naming no client at all made storage requests (it made none before the read ahead):{Environment.NewLine}{Listing()}");
    }

    [Theory]
    [InlineData("/oauth2/access_token")]
    [InlineData("/oauth2/revoke")]
    [InlineData("/oauth2/introspect")]
    public async Task An_imported_format_token_with_a_wrong_secret_causes_no_index_or_token_read(string path)
    {
        var client = await _server.AddClientAsync();
        var hex = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "0badf00d";
        Assert.True(TokenHandle.IsImportedToken(hex));
        using var http = _server.CreateClient();
        _server.Counter.Reset();

        var response = await http.PostFormAsync(path, Attempt(client, hex));

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        await Task.Delay(Straggle);
        Assert.True(
            !On("Tokens").Any() && _server.Counter.Count == 1,
            $"{path}: a 40-hex (imported-format) token was looked up before the client authenticated:{Environment.NewLine}{Listing()}");
    }

    [Fact]
    public async Task Real_imported_tokens_with_a_wrong_secret_are_not_looked_up_and_still_work_for_their_client()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));
        Assert.Equal(0, await CliAsync(server, "import", "django", DjangoFixture));
        var web = new TestClient("2f1e0c9a7b6d5e4f3a21", "9b8a7c6d5e4f30211234567890abcdef01234567", "https://billing.example/oauth/callback");
        const string access = "9b3604c1ab360d9b90953fba487562088e8a93a0";
        const string refresh = "d2b1e8e7dc239f30a5a4a8d7c24422c03d37e51b";
        using var http = server.CreateClient();

        foreach (var path in new[] { "/oauth2/introspect", "/oauth2/revoke", "/oauth2/access_token" })
        {
            foreach (var token in new[] { access, refresh })
            {
                server.Counter.Reset();
                var response = await http.PostFormAsync(path, Attempt(web, token));
                await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
                await Task.Delay(Straggle);
                var tokenRequests = server.Counter.Requests.Where(r => r.Contains(server.TablePrefix + "Tokens", StringComparison.Ordinal)).ToList();
                Assert.True(tokenRequests.Count == 0, $"{path}: an imported token was read before the client authenticated:{Environment.NewLine}{string.Join(Environment.NewLine, server.Counter.Requests)}");
            }
        }

        var active = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", web, ("token", access)));
        Assert.True(active.GetProperty("active").GetBoolean(), "the imported access token stopped working after wrong-secret attempts");
        var refreshed = await http.TokenAsync(web, ("grant_type", "refresh_token"), ("refresh_token", refresh));
        Assert.True(refreshed.StatusCode == HttpStatusCode.OK, $"the imported refresh token stopped working after wrong-secret attempts: {await refreshed.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("/oauth2/revoke", true)]
    [InlineData("/oauth2/introspect", true)]
    [InlineData("/oauth2/revoke", false)]
    [InlineData("/oauth2/introspect", false)]
    public async Task A_jwt_access_token_with_a_wrong_secret_causes_no_key_or_token_read_and_still_works(string path, bool real)
    {
        var client = await _server.AddClientAsync(accessTokenFormat: AccessTokenFormat.Jwt, accessTokenAudience: "https://api.example");
        using var http = _server.CreateClient();
        var jwt = (await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")))).Str("access_token");
        var token = real ? jwt : "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJqdGkiOiJ4In0.c2lnbmF0dXJl";
        _server.Counter.Reset();

        var response = await http.PostFormAsync(path, OAuthTestServer.Basic(client.ClientId, WrongSecret), ("token", token));

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        await Task.Delay(Straggle);
        Assert.True(
            !On("Tokens").Any() && !On("Keys").Any() && _server.Counter.Count == 1,
            $"{path}: a JWT was checked or its row read before the client authenticated:{Environment.NewLine}{Listing()}");
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", jwt)));
        Assert.True(answer.GetProperty("active").GetBoolean(), $"the JWT access token died after a wrong-secret {path}");
    }

    // ---- (3) Faults in the read ahead ----

    [Theory]
    [InlineData("/oauth2/access_token", "503")]
    [InlineData("/oauth2/access_token", "unreachable")]
    [InlineData("/oauth2/access_token", "timeout")]
    [InlineData("/oauth2/revoke", "503")]
    [InlineData("/oauth2/revoke", "unreachable")]
    [InlineData("/oauth2/revoke", "timeout")]
    [InlineData("/oauth2/introspect", "503")]
    [InlineData("/oauth2/introspect", "timeout")]
    public async Task A_faulting_read_ahead_with_a_failing_client_is_still_401_and_writes_nothing(string path, string fault)
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        _server.Counter.Reset();
        var injectedBefore = _server.Faults.Injected;
        Arm(fault, OnTokensTable);

        HttpResponseMessage response;
        try
        {
            response = await http.PostFormAsync(path, Attempt(victim, tokens.Str("refresh_token")));
            await Task.Delay(Straggle);
        }
        finally
        {
            _server.Faults.Clear();
        }

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: a fault ({fault}) in the read ahead turned a failed client authentication into {(int)response.StatusCode}: {body}");
        Assert.Equal("invalid_client", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.True(_server.Faults.Injected > injectedBefore, $"{path}: no read ahead reached storage, so the fault was never exercised");
        AssertOnlyReads($"{path} with a faulting read ahead ({fault})");
        await AssertActiveAsync(http, victim, tokens.Str("refresh_token"), true, $"{path}: the family changed after a faulting read ahead ({fault})");
    }

    [Theory]
    [InlineData("/oauth2/access_token", "503")]
    [InlineData("/oauth2/access_token", "timeout")]
    [InlineData("/oauth2/revoke", "503")]
    [InlineData("/oauth2/revoke", "unreachable")]
    [InlineData("/oauth2/introspect", "503")]
    public async Task A_faulting_read_ahead_with_an_authenticated_client_is_503_and_half_writes_nothing(string path, string fault)
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        _server.Counter.Reset();
        Arm(fault, request => request.Method == RequestMethod.Get && OnTokensTable(request));

        HttpResponseMessage response;
        try
        {
            response = path == "/oauth2/access_token"
                ? await http.TokenAsync(victim, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")))
                : await http.AuthenticatedPostAsync(path, victim, ("token", tokens.Str("refresh_token")));
        }
        finally
        {
            _server.Faults.Clear();
        }

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        AssertOnlyReads($"{path} whose read ahead faulted ({fault})");
        await AssertActiveAsync(http, victim, tokens.Str("access_token"), true, $"{path}: the access token died although the request failed on its first read ({fault})");
        var retried = await http.TokenAsync(victim, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
        Assert.True(retried.StatusCode == HttpStatusCode.OK, $"{path}: after a 503 on the read ahead the family was half-changed: {await retried.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_user_read_fault_during_an_openid_rotation_is_503_and_leaves_the_family_retryable()
    {
        var (client, _, tokens) = await OpenIdTokensAsync();
        using var http = _server.CreateClient();
        _server.Faults.FailWith503(request => Path(request).Contains(_server.TablePrefix + "Users", StringComparison.Ordinal));
        HttpResponseMessage response;
        try
        {
            response = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
        }
        finally
        {
            _server.Faults.Clear();
        }

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        Assert.Empty(await RowsAsync(client, "a"));
        var retried = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        Assert.False(string.IsNullOrEmpty(retried.Str("id_token")));
        var accessRows = await RowsAsync(client, "a");
        Assert.True(accessRows.Count == 1, $"a rotation interrupted by a user-read fault left {accessRows.Count} access token rows (expected only the retry's)");
    }

    // ---- (4) The user check now runs alongside the rotation's writes ----

    [Theory]
    [InlineData("disabled")]
    [InlineData("password")]
    [InlineData("signins")]
    public async Task An_openid_refresh_after_the_user_changed_is_refused_and_the_family_ends(string change)
    {
        var (client, user, tokens) = await OpenIdTokensAsync();
        var accounts = _server.Services.GetRequiredService<UserAccounts>();
        _ = change switch
        {
            "disabled" => await accounts.SetDisabledAsync(user.Username, true, CancellationToken.None),
            "password" => await accounts.SetPasswordAsync(user.Username, user.PasswordHash + "x", CancellationToken.None),
            _ => await accounts.EndSignInsAsync(user.Username, CancellationToken.None),
        };
        using var http = _server.CreateClient();

        var response = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"an OpenID refresh after the user {change} was answered {(int)response.StatusCode}: {body}");
        Assert.DoesNotContain("id_token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", body, StringComparison.Ordinal);
        var families = await RowsAsync(client, "f");
        Assert.True(families.Count == 0, $"the family still exists after a refused refresh (user {change})");
        var accessRows = await RowsAsync(client, "a");
        Assert.True(accessRows.Count == 0, $"{accessRows.Count} access token row(s) of the family survived a refused refresh (user {change}): the withdrawn rotation left its new access token, or the old one lives");
        await AssertActiveAsync(http, client, tokens.Str("access_token"), false, $"the old access token is still active after the user {change}");
        if (change == "disabled")
        {
            await accounts.SetDisabledAsync(user.Username, false, CancellationToken.None);
        }

        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task An_openid_refresh_narrowing_to_a_scope_not_granted_by_a_changed_user_still_ends_the_family()
    {
        var (client, user, tokens) = await OpenIdTokensAsync();
        await _server.Services.GetRequiredService<UserAccounts>().SetDisabledAsync(user.Username, true, CancellationToken.None);
        using var http = _server.CreateClient();

        var response = await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")), ("scope", "openid profile write"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await RowsAsync(client, "f")).Count == 0, "a disabled user's family survived a refresh whose scope was also invalid");
    }

    // ---- (5) Races ----

    [Fact]
    public async Task Concurrent_refreshes_of_one_token_give_exactly_one_success_and_then_reuse_detection()
    {
        const int parallel = 6;
        for (var round = 0; round < 3; round++)
        {
            var (client, tokens) = await _server.PasswordTokensAsync();
            var clients = Enumerable.Range(0, parallel).Select(_ => _server.CreateClient()).ToList();
            try
            {
                using var start = new SemaphoreSlim(0);
                var racers = clients.Select(async h =>
                {
                    await start.WaitAsync();
                    var r = await h.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
                    return (r.StatusCode, Body: await r.Content.ReadAsStringAsync());
                }).ToList();
                start.Release(parallel);
                var results = await Task.WhenAll(racers);
                var statuses = string.Join(", ", results.Select(r => (int)r.StatusCode));
                Assert.True(results.Count(r => r.StatusCode == HttpStatusCode.OK) == 1, $"round {round}: {statuses}");
                Assert.True(results.Count(r => r.StatusCode == HttpStatusCode.BadRequest) == parallel - 1, $"round {round}: {statuses}");
                var winner = JsonDocument.Parse(results.Single(r => r.StatusCode == HttpStatusCode.OK).Body).RootElement;
                using var http = _server.CreateClient();

                // Every loser presented a token no longer live: reuse, so the winner's pair is revoked too (RFC 9700 §4.14.2).
                await AssertActiveAsync(http, client, winner.Str("access_token"), false, $"round {round}: the winner's access token survived reuse detection");
                await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", winner.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }
    }

    [Fact]
    public async Task A_refresh_racing_a_wrong_secret_flood_on_the_same_token_is_unaffected()
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        var flood = Enumerable.Range(0, 6).Select(i => http.PostFormAsync(i % 2 == 0 ? "/oauth2/access_token" : "/oauth2/revoke", Attempt(victim, tokens.Str("refresh_token")))).ToList();
        var legit = http.TokenAsync(victim, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")));
        var refused = await Task.WhenAll(flood);
        var rotated = await OAuthAssert.SuccessAsync(await legit);

        Assert.All(refused, f => Assert.Equal(HttpStatusCode.Unauthorized, f.StatusCode));
        await AssertActiveAsync(http, victim, rotated.Str("refresh_token"), true, "the rotated refresh token is not live after a wrong-secret flood");
    }

    // ---- (6) What was read ahead never serves another client ----

    [Theory]
    [InlineData(ClientType.Confidential)]
    [InlineData(ClientType.Public)]
    public async Task Another_clients_refresh_token_is_neither_rotated_revoked_nor_reuse_detected(ClientType otherType)
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        var other = await _server.AddClientAsync(otherType);
        using var http = _server.CreateClient();
        var live = await OAuthAssert.SuccessAsync(await http.TokenAsync(victim, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token"))));
        var old = tokens.Str("refresh_token");

        foreach (var presented in new[] { live.Str("refresh_token"), old })
        {
            var refresh = await http.TokenAsync(other, ("grant_type", "refresh_token"), ("refresh_token", presented));
            Assert.True(refresh.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{otherType} client refreshing another's token: {(int)refresh.StatusCode} {await refresh.Content.ReadAsStringAsync()}");
            var revoke = await http.AuthenticatedPostAsync("/oauth2/revoke", other, ("token", presented));
            Assert.True(revoke.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{otherType} client revoking another's token: {(int)revoke.StatusCode}");
        }

        var revokeAccess = await http.AuthenticatedPostAsync("/oauth2/revoke", other, ("token", live.Str("access_token")));
        Assert.True(revokeAccess.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{otherType} client revoking another's access token: {(int)revokeAccess.StatusCode}");
        await AssertActiveAsync(http, victim, live.Str("access_token"), true, $"a {otherType} client's request ended the victim's access token");
        await AssertActiveAsync(http, victim, live.Str("refresh_token"), true, $"a {otherType} client's request (incl. presenting the victim's old token) ended the victim's family");
    }

    [Fact]
    public async Task A_confidential_resource_server_may_introspect_another_clients_token_but_a_public_client_may_not()
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        var resourceServer = await _server.AddClientAsync();
        var publicClient = await _server.AddClientAsync(ClientType.Public);
        using var http = _server.CreateClient();

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", resourceServer, ("token", tokens.Str("access_token"))));
        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal(victim.ClientId, answer.Str("client_id"));
        _server.Counter.Reset();
        var refused = await http.AuthenticatedPostAsync("/oauth2/introspect", publicClient, ("token", tokens.Str("access_token")));
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"a public client introspected: {(int)refused.StatusCode} {body}");
        Assert.DoesNotContain("\"active\"", body, StringComparison.Ordinal);
        await Task.Delay(Straggle);
        AssertOnlyReads("introspection by a public client");
    }

    // ---- Request shapes ----

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Duplicate_token_parameters_are_refused_before_any_read_and_change_nothing(string path)
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        var garbage = OwnFormat("refresh");
        _server.Counter.Reset();

        var response = path == "/oauth2/access_token"
            ? await http.TokenAsync(victim, ("grant_type", "refresh_token"), ("refresh_token", tokens.Str("refresh_token")), ("refresh_token", garbage))
            : await http.AuthenticatedPostAsync(path, victim, ("token", tokens.Str("refresh_token")), ("token", garbage));

        await OAuthAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await Task.Delay(Straggle);
        Assert.True(_server.Counter.Count == 0, $"{path}: a request with a repeated parameter made storage requests:{Environment.NewLine}{Listing()}");
        await AssertActiveAsync(http, victim, tokens.Str("refresh_token"), true, $"{path}: a request with a repeated token parameter changed the family");
    }

    [Theory]
    [InlineData("/oauth2/revoke")]
    [InlineData("/oauth2/introspect")]
    [InlineData("/oauth2/access_token")]
    public async Task A_token_in_the_query_string_is_not_read_ahead_or_acted_on(string path)
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        using var http = _server.CreateClient();
        var refresh = Uri.EscapeDataString(tokens.Str("refresh_token"));
        _server.Counter.Reset();

        var response = await http.PostFormAsync(
            $"{path}?token={refresh}&refresh_token={refresh}&grant_type=refresh_token",
            OAuthTestServer.Basic(victim.ClientId, victim.Secret!),
            path == "/oauth2/access_token" ? [("grant_type", "refresh_token")] : [("token_type_hint", "refresh_token")]);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        await Task.Delay(Straggle);
        Assert.False(On("Tokens").Any(), $"{path}: a token in the query string was read:{Environment.NewLine}{Listing()}");
        await AssertActiveAsync(http, victim, tokens.Str("refresh_token"), true, $"{path}: a token in the query string was acted on");
    }

    [Theory]
    [InlineData("/oauth2/revoke", 70_000)]
    [InlineData("/oauth2/introspect", 70_000)]
    [InlineData("/oauth2/access_token", 70_000)]
    [InlineData("/oauth2/revoke", 4_000)]
    [InlineData("/oauth2/access_token", 4_000)]
    public async Task A_huge_token_value_is_answered_without_a_token_read_or_a_500(string path, int length)
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var huge = "f" + new string('A', length);
        _server.Counter.Reset();

        var response = await http.PostFormAsync(path, OAuthTestServer.Basic(client.ClientId, client.Secret!), ("grant_type", "refresh_token"), ("refresh_token", huge), ("token", huge));

        Assert.True((int)response.StatusCode is >= 200 and < 500, $"{path}: a {length}-character token was answered {(int)response.StatusCode}");
        await Task.Delay(Straggle);
        Assert.False(On("Tokens").Any(), $"{path}: a {length}-character token was read:{Environment.NewLine}{Listing()}");
    }

    [Fact]
    public async Task A_request_cancelled_while_the_client_read_is_held_writes_nothing()
    {
        var (victim, tokens) = await _server.PasswordTokensAsync();
        using var release = new ManualResetEventSlim(false);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var used = 0;
        _server.Faults.FailWith503(request =>
        {
            if (request.Method == RequestMethod.Get && Path(request).Contains(_server.TablePrefix + "Clients", StringComparison.Ordinal) && Interlocked.Exchange(ref used, 1) == 0)
            {
                reached.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(10));
            }

            return false;
        });
        try
        {
            using var http = _server.CreateClient();
            using var cancel = new CancellationTokenSource();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/revoke")
            {
                Content = new FormUrlEncodedContent([new("token", tokens.Str("refresh_token"))]),
            };
            request.Headers.Authorization = OAuthTestServer.Basic(victim.ClientId, WrongSecret);
            var sent = http.SendAsync(request, cancel.Token);
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
            _server.Counter.Reset();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sent);
        }
        finally
        {
            release.Set();
            _server.Faults.Clear();
        }

        await Task.Delay(Straggle);
        AssertOnlyReads("a cancelled wrong-secret revocation");
        using var check = _server.CreateClient();
        await AssertActiveAsync(check, victim, tokens.Str("refresh_token"), true, "a cancelled wrong-secret revocation changed the family");
    }

    // ---- Helpers ----

    /// <summary>A request naming <paramref name="client"/> with a wrong secret in the body, carrying <paramref name="token"/> in every place an endpoint reads it.</summary>
    private static (string Name, string Value)[] Attempt(TestClient client, string token, string grantType = "refresh_token") =>
    [
        ("grant_type", grantType),
        ("refresh_token", token),
        ("code", token),
        ("redirect_uri", client.RedirectUri),
        ("token", token),
        ("client_id", client.ClientId),
        ("client_secret", WrongSecret),
    ];

    private static string OwnFormat(string kind) => kind switch
    {
        "access" => TokenHandle.Issue(TokenKind.AccessToken, DateTimeOffset.UtcNow.AddHours(1)).Value,
        "code" => TokenHandle.Issue(TokenKind.AuthorizationCode, DateTimeOffset.UtcNow.AddMinutes(5)).Value,
        "legacy" => "r0" + TokenHandle.BucketOf(DateTimeOffset.UtcNow.AddHours(2)).ToString("D7", System.Globalization.CultureInfo.InvariantCulture) + new string('Q', 43),
        _ => TokenHandle.IssueRefresh(FamilyKey.NewId()).Value,
    };

    private void Arm(string fault, Func<Request, bool> match)
    {
        switch (fault)
        {
            case "unreachable":
                _server.Faults.FailAsUnreachable(match);
                break;
            case "timeout":
                _server.Faults.FailAsTimeout(match);
                break;
            default:
                _server.Faults.FailWith503(match);
                break;
        }
    }

    private bool OnTokensTable(Request request) => Path(request).Contains(_server.TablePrefix + "Tokens", StringComparison.Ordinal);

    private static string Path(Request request) => Uri.UnescapeDataString(request.Uri.Path);

    private IEnumerable<string> On(string table) => _server.Counter.Requests.Where(r => r.Contains(_server.TablePrefix + table, StringComparison.Ordinal));

    private string Listing() => string.Join(Environment.NewLine, _server.Counter.Requests);

    private void AssertOnlyReads(string what) =>
        Assert.True(
            _server.Counter.Requests.All(r => r.StartsWith("GET ", StringComparison.Ordinal)),
            $"{what} wrote to storage before the client authenticated:{Environment.NewLine}{Listing()}");

    private static async Task AssertActiveAsync(HttpClient http, TestClient client, string token, bool active, string message)
    {
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token)));
        Assert.True(answer.GetProperty("active").GetBoolean() == active, message);
    }

    /// <summary>A code with scope "openid profile" redeemed: a family whose refresh answers with an ID token.</summary>
    private async Task<(TestClient Client, User User, JsonElement Tokens)> OpenIdTokensAsync()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("ra-" + Guid.NewGuid().ToString("N")[..12], ServerExtensions.Password, name: "Read Ahead");
        var code = await _server.IssueCodeAsync(client, user, scope: "openid profile", authTime: DateTimeOffset.UtcNow, nonce: "n");
        using var http = _server.CreateClient();
        var tokens = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.RedirectUri)));
        Assert.False(string.IsNullOrEmpty(tokens.Str("id_token")));
        return (client, user, tokens);
    }

    /// <summary>The client's rows in the Tokens table whose key starts with <paramref name="prefix"/> ("a": access token rows, "f": family rows).</summary>
    private async Task<List<TokenEntity>> RowsAsync(TestClient client, string prefix)
    {
        var rows = new List<TokenEntity>();
        await foreach (var row in _server.Tables.Tokens.QueryAsync<TokenEntity>($"ClientId eq '{client.ClientId}'"))
        {
            var family = row.PartitionKey.StartsWith('f');
            if (prefix == "f" ? family : !family && !row.PartitionKey.StartsWith('x') && row.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private static async Task<int> CliAsync(OAuthTestServer server, params string[] args) => (await InProcessCli.RunAsync(server, args)).ExitCode;
}
