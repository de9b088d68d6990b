using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Maintenance;
using OAuthFunctions.Storage.Migration;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Migration;

/// <summary>
/// A reviewer's attack on the django-oauth2-provider import (issue 15): dumps an operator could plausibly produce
/// (two Django sites, a hand-edited row, a field too large), re-imports after things happened here (revocation,
/// rotation, purge, an administrator's disable), storage faults between the index row and the token row, and whether
/// imported tokens skip anything tokens issued here respect. A failing test is a finding; a passing one documents what
/// holds.
/// </summary>
public sealed class ReviewDjangoImportTests : IAsyncLifetime
{
    private const string WebClientId = DjangoFixture.WebClientId;
    private const string WebSecret = DjangoFixture.WebSecret;
    private const string MobileClientId = DjangoFixture.MobileClientId;
    private const string Far = "2099-01-01T00:00:00Z";

    private static readonly string FixturePath = DjangoFixture.DumpPath;

    private readonly JsonArray _dump = JsonNode.Parse(File.ReadAllText(FixturePath))!.AsArray();
    private OAuthTestServer _server = null!;

    private static TestClient Web => DjangoFixture.Web;

    private static TestClient Mobile => DjangoFixture.Mobile;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // ---- Re-import after things happened here ----

    [Fact]
    public async Task A_rotated_refresh_token_purged_after_its_retention_is_not_brought_back_by_a_re_import()
    {
        // MIGRATING.md step 6: "a token that was imported before is never brought back (one rotated or revoked here
        // stays so)". A rotated imported refresh token never expires, so purge deletes its row and its index row
        // RotatedRefreshTokenRetention (90 days) later; the operator's final re-import then meets no index row.
        await using var server = await OAuthTestServer.StartAsync(o => { o.FakeTime = true; o.With("OAuth:ClientCacheLifetime", "00:00:00"); });
        Assert.Equal(0, (await CliAsync(server, "import", "django", FixturePath)).ExitCode);
        var old = Value("oauth2.refreshtoken", 1);
        using var http = server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", old)));

        server.FakeTime!.Advance(TimeSpan.FromDays(91));
        await server.Services.GetRequiredService<TokenPurger>().PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);
        var again = await CliAsync(server, "import", "django", FixturePath, "--json");

        var replay = await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", old));
        Assert.True(
            replay.StatusCode == HttpStatusCode.BadRequest,
            $"The refresh token rotated 91 days ago works again after the re-import ({(int)replay.StatusCode}; the import added {Count(again.Json, "refresh_tokens", "added")} refresh tokens).");
    }

    [Fact]
    public async Task A_revoked_imported_access_token_leaves_no_index_row_once_it_has_expired()
    {
        // "An index row ... is purged like everything else when the token expires" (issue 15). Revocation deletes the
        // token row; purge only deletes index rows of token rows it deletes itself, so this index row stays for good.
        await using var server = await OAuthTestServer.StartAsync(o => { o.FakeTime = true; o.With("OAuth:ClientCacheLifetime", "00:00:00"); });
        var token = "5eed" + new string('1', 36);
        var dump = UsersAndClients();
        dump.Add(AccessToken(70, token, client: 1, user: 1, scope: 2, expires: server.FakeTime!.GetUtcNow().AddMinutes(30)));
        Assert.Equal(0, (await CliAsync(server, "import", "django", await WriteAsync(dump))).ExitCode);
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.AuthenticatedPostAsync("/oauth2/revoke", Web, ("token", token))).StatusCode);

        server.FakeTime.Advance(TimeSpan.FromHours(2));
        await server.Services.GetRequiredService<TokenPurger>().PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.Null(await server.Tokens.FindImportedAsync(TokenHandle.HashOf(token), CancellationToken.None));
    }

    [Fact]
    public async Task A_revoked_imported_refresh_token_stays_revoked_after_a_re_import()
    {
        // Holds, because revocation leaves the index row behind (the other face of the leak above).
        await ImportAsync(FixturePath);
        using var http = _server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.AuthenticatedPostAsync("/oauth2/revoke", Web, ("token", Value("oauth2.refreshtoken", 2)))).StatusCode);

        await ImportAsync(FixturePath);

        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", Value("oauth2.refreshtoken", 2))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Re_importing_the_same_file_does_not_re_enable_a_user_disabled_here()
    {
        // The issue: "importing the same file twice changes nothing". An administrator disabled alice here (say her
        // account was taken over); the final re-import of the same dump must not switch her back on.
        await ImportAsync(FixturePath);
        Assert.Equal(0, (await CliAsync("users", "disable", "alice", "--settle", "0")).ExitCode);

        var again = await ImportAsync(FixturePath, "--json");

        Assert.Equal(0, Count(again.Json, "users", "updated"));
        Assert.True((await _server.Services.GetRequiredService<IUserStore>().FindAsync("alice", CancellationToken.None))!.Disabled);
        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await PasswordGrantAsync(http, "alice", "pw-alice"), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task An_administrators_require_pkce_survives_a_re_import()
    {
        await ImportAsync(FixturePath);
        Assert.Equal(0, (await CliAsync("clients", "update", MobileClientId, "--require-pkce")).ExitCode);

        await ImportAsync(FixturePath);

        Assert.True((await _server.Services.GetRequiredService<IClientStore>().FindAsync(MobileClientId, CancellationToken.None))!.RequiresPkce);
    }

    [Fact]
    public async Task Re_importing_the_same_file_does_not_bring_back_a_client_removed_here()
    {
        // The operator removed the web client here (its secret leaked, say); the final re-import of the same dump
        // brings it back with the leaked secret.
        await ImportAsync(FixturePath, "--add-grant-types", "client_credentials");
        Assert.Equal(0, (await CliAsync("clients", "remove", WebClientId, "--settle", "0")).ExitCode);

        await ImportAsync(FixturePath, "--add-grant-types", "client_credentials");

        using var http = _server.CreateClient();
        await OAuthAssert.ErrorAsync(await http.TokenAsync(Web, ("grant_type", "client_credentials")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Clients_update_cannot_grant_a_pkce_exemption_to_a_native_public_client()
    {
        var native = await _server.AddClientAsync(ClientType.Public, redirectUris: ["com.example.app:/cb"]);

        var result = await CliAsync("clients", "update", native.ClientId, "--json");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stdout} {result.Stderr}");
        Assert.True(result.Json.ValueKind == JsonValueKind.Object && result.Json.GetProperty("pkce_required").GetBoolean(), $"{result.Stdout} {result.Stderr}");
        Assert.True((await _server.Services.GetRequiredService<IClientStore>().FindAsync(native.ClientId, CancellationToken.None))!.RequiresPkce);
    }

    // ---- What the import may overwrite ----

    [Fact]
    public async Task Import_does_not_take_over_a_native_public_client_with_the_same_id()
    {
        // A native user with the dump's username is refused ("exists here that was not imported"); a native client is
        // protected only by comparing secret hashes, and two public clients both have none.
        var clients = _server.Services.GetRequiredService<IClientStore>();
        await clients.AddAsync(NativeClient(MobileClientId, ClientType.Public, null, "https://native.example/cb"), CancellationToken.None);

        var result = await ImportAsync(FixturePath, "--json");

        var kept = (await clients.FindAsync(MobileClientId, CancellationToken.None))!;
        Assert.Equal(["https://native.example/cb"], kept.RedirectUris);
        Assert.Equal("Native app", kept.Name);
        Assert.False(kept.PkceOptional);
        Assert.Contains(Refused(result.Json), r => r == ("oauth2.client", "2"));
    }

    [Fact]
    public async Task A_native_user_with_a_dump_username_keeps_their_password_and_gets_no_tokens()
    {
        var native = await _server.AddUserAsync("alice", "native alice password");

        var result = await ImportAsync(FixturePath, "--json");

        var refused = Refused(result.Json);
        Assert.Contains(("auth.user", "1"), refused);
        Assert.Contains(("oauth2.accesstoken", "1"), refused);
        Assert.Contains(("oauth2.refreshtoken", "1"), refused);
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await PasswordGrantAsync(http, "alice", "native alice password"));
        await OAuthAssert.ErrorAsync(await PasswordGrantAsync(http, "alice", "pw-alice"), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(native.UserId, (await _server.Services.GetRequiredService<IUserStore>().FindAsync("alice", CancellationToken.None))!.UserId);
    }

    [Fact]
    public async Task Two_dumps_never_give_two_people_the_same_user_id()
    {
        // Two Django sites moved onto one server (or one site's dump after its users table was rebuilt): each has a
        // user pk 1. The user id is the subject resource servers key accounts by ("sub"), and what bulk revocation
        // (tokens revoke --user, set-password, disable) matches on.
        await ImportAsync(FixturePath);
        var second = new JsonArray(User(1, "zed", Record("auth.user", 1)["fields"]!["password"]!.GetValue<string>()));

        await ImportAsync(await WriteAsync(second));

        var users = _server.Services.GetRequiredService<IUserStore>();
        var alice = await users.FindAsync("alice", CancellationToken.None);
        var zed = await users.FindAsync("zed", CancellationToken.None);
        Assert.True(zed is null || zed.UserId != alice!.UserId, $"alice and zed share the user id {alice!.UserId}.");
    }

    [Fact]
    public async Task A_duplicate_user_pk_in_one_dump_is_refused()
    {
        _dump.Add(User(1, "mallory", Record("auth.user", 2)["fields"]!["password"]!.GetValue<string>()));

        var result = await ImportAsync(await WriteAsync(_dump), "--json");

        Assert.Contains(("auth.user", "1"), Refused(result.Json));
        var mallory = await _server.Services.GetRequiredService<IUserStore>().FindAsync("mallory", CancellationToken.None);
        Assert.True(mallory is null || mallory.UserId != "django-1", "mallory got alice's user id django-1.");
    }

    // ---- Imported tokens against the rules native tokens keep ----

    [Fact]
    public async Task Tokens_of_a_user_inactive_on_the_old_server_are_not_active_here()
    {
        // dave is_active = false: imported disabled. A user disabled here has no live access token (disable revokes
        // them); an imported one should not have any either.
        var token = "da7e" + new string('2', 36);
        _dump.Add(AccessToken(80, token, client: 1, user: 4, scope: 2, expires: DateTimeOffset.Parse(Far, CultureInfo.InvariantCulture)));
        await ImportAsync(await WriteAsync(_dump));
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", token)));

        Assert.False(answer.GetProperty("active").GetBoolean(), "An access token of a disabled user introspects as active.");
    }

    [Fact]
    public async Task A_refresh_token_of_a_user_inactive_on_the_old_server_is_refused()
    {
        var refresh = "da7e" + new string('3', 36);
        _dump.Add(RefreshToken(81, refresh, client: 1, user: 4, access: null));
        await ImportAsync(await WriteAsync(_dump));
        using var http = _server.CreateClient();

        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", refresh)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_refresh_token_pointing_at_another_clients_access_token_cannot_end_it()
    {
        // Access token 5 belongs to the mobile client and bob. A (hand-edited or corrupt) refresh token of the web
        // client and alice names it as its access token: using it must not delete somebody else's token.
        var refresh = "0be1" + new string('4', 36);
        _dump.Add(RefreshToken(90, refresh, client: 1, user: 1, access: 5));
        await ImportAsync(await WriteAsync(_dump));
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", refresh));

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", Value("oauth2.accesstoken", 5))));
        Assert.True(answer.GetProperty("active").GetBoolean(), "The mobile client's access token was ended by the web client's refresh.");
    }

    [Fact]
    public async Task A_token_with_no_scope_bits_does_not_get_the_default_scope()
    {
        // The original's check(wants, has) is false when has is 0: such a token could do nothing there. Here it
        // would be granted the default scope (read).
        var token = "5c0e" + new string('5', 36);
        _dump.Add(AccessToken(82, token, client: 1, user: 1, scope: 0, expires: DateTimeOffset.Parse(Far, CultureInfo.InvariantCulture)));
        await ImportAsync(await WriteAsync(_dump));
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", token)));

        Assert.False(
            answer.GetProperty("active").GetBoolean() && answer.Str("scope").Length > 0,
            $"A token with scope 0 was given the scope '{(answer.TryGetProperty("scope", out var s) ? s.GetString() : null)}'.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(-2)]
    public async Task Scope_bits_outside_the_originals_list_are_refused(long bits)
    {
        _dump.Add(AccessToken(83, "b175" + new string('6', 36), client: 1, user: 1, scope: bits, expires: DateTimeOffset.Parse(Far, CultureInfo.InvariantCulture)));

        var result = await ImportAsync(await WriteAsync(_dump), "--json");

        Assert.Contains(("oauth2.accesstoken", "83"), Refused(result.Json));
    }

    [Fact]
    public async Task Another_client_can_neither_revoke_nor_refresh_an_imported_token()
    {
        await ImportAsync(FixturePath);
        var other = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        await OAuthAssert.ErrorAsync(
            await http.AuthenticatedPostAsync("/oauth2/revoke", other, ("token", Value("oauth2.accesstoken", 1))), HttpStatusCode.BadRequest, "unauthorized_client");
        await OAuthAssert.ErrorAsync(
            await http.AuthenticatedPostAsync("/oauth2/revoke", other, ("token", Value("oauth2.refreshtoken", 1))), HttpStatusCode.BadRequest, "unauthorized_client");
        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(other, ("grant_type", "refresh_token"), ("refresh_token", Value("oauth2.refreshtoken", 1))), HttpStatusCode.BadRequest, "invalid_grant");

        // Still the web client's, and still working.
        await OAuthAssert.SuccessAsync(await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", Value("oauth2.refreshtoken", 1))));
    }

    [Fact]
    public async Task A_password_set_here_ends_imported_access_and_refresh_tokens()
    {
        await ImportAsync(FixturePath);
        using var input = new StringReader("a brand new password\n");
        Assert.Equal(0, (await CliAsync(_server, input, "users", "set-password", "alice", "--password-stdin", "--settle", "0")).ExitCode);
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", Value("oauth2.accesstoken", 1))));
        Assert.False(answer.GetProperty("active").GetBoolean());
        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", Value("oauth2.refreshtoken", 1))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task After_the_first_rotation_the_family_rules_apply_to_what_an_imported_token_became()
    {
        await ImportAsync(FixturePath);
        using var http = _server.CreateClient();
        var first = await OAuthAssert.SuccessAsync(await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", Value("oauth2.refreshtoken", 2))));
        var second = await OAuthAssert.SuccessAsync(await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token"))));

        // The first new-format token replayed: reuse, and the live end dies.
        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", first.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.ErrorAsync(
            await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", second.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    // ---- Lookup cost ----

    [Theory]
    [InlineData(20, 2)]
    [InlineData(128, 2)]
    [InlineData(19, 1)]
    [InlineData(129, 1)]
    public async Task A_garbage_token_from_an_authenticated_client_costs_at_most_one_index_read(int length, int requests)
    {
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var garbage = string.Concat(Enumerable.Repeat("Zz9-_", 30))[..length];

        _server.Counter.Reset();
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", garbage)));

        Assert.False(answer.GetProperty("active").GetBoolean());
        Assert.Equal(requests, _server.Counter.Count);
    }

    [Fact]
    public async Task A_token_of_this_servers_format_in_a_dump_is_refused()
    {
        var native = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var issued = (await OAuthAssert.SuccessAsync(await http.TokenAsync(native, ("grant_type", "client_credentials")))).Str("access_token");
        _dump.Add(AccessToken(84, issued, client: 1, user: 1, scope: 2, expires: DateTimeOffset.Parse(Far, CultureInfo.InvariantCulture)));

        var result = await ImportAsync(await WriteAsync(_dump), "--json");

        Assert.Contains(("oauth2.accesstoken", "84"), Refused(result.Json));
    }

    // ---- Malicious or broken dumps ----

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("")]
    public async Task A_client_id_that_is_not_a_table_key_is_refused(string clientId)
    {
        Record("oauth2.client", 1)["fields"]!["client_id"] = clientId;

        var result = await ImportAsync(await WriteAsync(_dump), "--json");

        Assert.Equal(OAuthFunctions.Cli.Commands.ImportCommand.SomeRefused, result.ExitCode);
        Assert.Contains(("oauth2.client", "1"), Refused(result.Json));
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("https://billing.example/cb#frag")]
    public async Task A_client_with_a_never_acceptable_redirect_uri_is_refused_with_its_tokens(string redirectUri)
    {
        Record("oauth2.client", 1)["fields"]!["redirect_uri"] = redirectUri;

        var result = await ImportAsync(await WriteAsync(_dump), "--json");

        var refused = Refused(result.Json);
        Assert.Contains(("oauth2.client", "1"), refused);
        Assert.Contains(("oauth2.accesstoken", "1"), refused);
        Assert.Null(await _server.Services.GetRequiredService<IClientStore>().FindAsync(WebClientId, CancellationToken.None));
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused_in_one_line()
    {
        var path = await WriteTextAsync("[{\"model\":\"auth.user\",\"pk\":1,\"fields\":" + new string('[', 5000) + new string(']', 5000) + "}]");

        var result = await ImportAsync(path);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_too_large_for_storage_is_refused_by_model_and_pk_and_the_rest_is_imported()
    {
        // Table Storage takes at most 64 KiB per string property and 1 MiB per row; the import checks neither, so the
        // storage error ends the whole run half-way instead of refusing one record.
        Record("oauth2.client", 2)["fields"]!["name"] = new string('n', 600_000);

        var result = await ImportAsync(await WriteAsync(_dump), "--json");

        Assert.True(result.ExitCode == OAuthFunctions.Cli.Commands.ImportCommand.SomeRefused, $"exit code {result.ExitCode}: {result.Stderr}");
        Assert.Contains(("oauth2.client", "2"), Refused(result.Json));
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", Value("oauth2.accesstoken", 1))));
        Assert.True(answer.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Duplicate_token_values_do_not_cost_the_other_tokens_for_good()
    {
        // Django's token columns are not unique. Two records with one value: one is refused, the others imported, and
        // running the import again (with the duplicate removed) finishes the job.
        var keep = "1eef" + new string('7', 36);
        var twice = "d0b1" + new string('8', 36);
        var dump = UsersAndClients();
        var at = DateTimeOffset.Parse(Far, CultureInfo.InvariantCulture);
        dump.Add(AccessToken(100, keep, client: 1, user: 1, scope: 2, expires: at));
        dump.Add(AccessToken(101, twice, client: 1, user: 1, scope: 2, expires: at));
        dump.Add(AccessToken(102, twice, client: 2, user: 3, scope: 4, expires: at));
        var first = await ImportAsync(await WriteAsync(dump));
        dump.RemoveAt(dump.Count - 1);
        var second = await ImportAsync(await WriteAsync(dump));
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", keep)));

        Assert.True(
            answer.GetProperty("active").GetBoolean(),
            $"A token of the dump was lost for good. First import: exit {first.ExitCode}, {first.Stderr.Trim()}; second: exit {second.ExitCode}, {second.Stdout.ReplaceLineEndings(" ")}");
    }

    // ---- Partial failures ----

    [Fact]
    public async Task A_storage_outage_between_the_index_row_and_the_token_row_is_repaired_by_importing_again()
    {
        // FlushAsync writes the index row, then the token row, and on a fault deletes the index row again "so that
        // running the import again finishes the job". In an outage that delete fails too; the index row then says
        // "imported before" to every later run, and the token is never written.
        await using var server = await OAuthTestServer.StartAsync(o => { o.StorageRetries = 0; o.With("OAuth:ClientCacheLifetime", "00:00:00"); });
        var token = "fa17" + new string('9', 36);
        var dump = UsersAndClients();
        dump.Add(AccessToken(110, token, client: 1, user: 1, scope: 2, expires: DateTimeOffset.Parse(Far, CultureInfo.InvariantCulture)));
        var path = await WriteAsync(dump);
        var import = server.Services.GetRequiredService<DjangoImport>();
        var batches = 0;
        server.Faults.FailAsUnreachable(request =>
            (request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Increment(ref batches) > 1) || Volatile.Read(ref batches) > 1);

        await Assert.ThrowsAnyAsync<Exception>(() => import.RunAsync(() => File.OpenRead(path), new DjangoImportSettings(), null, CancellationToken.None));
        server.Faults.Clear();
        await import.RunAsync(() => File.OpenRead(path), new DjangoImportSettings(), null, CancellationToken.None);

        var introspector = await server.AddClientAsync();
        using var http = server.CreateClient();
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", token)));
        Assert.True(answer.GetProperty("active").GetBoolean(), "After an outage mid-import, running the import again did not import the token.");
    }

    // ---- Helpers ----

    private static Client NativeClient(string id, ClientType type, string? secret, string redirectUri) => new()
    {
        ClientId = id,
        SecretHash = secret is null ? null : SecretHasher.Hash(secret),
        Name = "Native app",
        Url = "https://native.example",
        RedirectUris = [redirectUri],
        Type = type,
        GrantTypes = GrantTypes.AllowedFor(type),
        Scope = 6,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private JsonArray UsersAndClients() =>
        new([.. _dump.Where(node => node!["model"]!.GetValue<string>() is "auth.user" or "oauth2.client").Select(node => node!.DeepClone())]);

    private static JsonObject User(int pk, string username, string password) => new()
    {
        ["model"] = "auth.user",
        ["pk"] = pk,
        ["fields"] = new JsonObject
        {
            ["password"] = password,
            ["username"] = username,
            ["is_active"] = true,
            ["date_joined"] = "2014-01-01T00:00:00Z",
        },
    };

    private static JsonObject AccessToken(int pk, string token, int client, int user, long scope, DateTimeOffset expires) => new()
    {
        ["model"] = "oauth2.accesstoken",
        ["pk"] = pk,
        ["fields"] = new JsonObject
        {
            ["user"] = user,
            ["token"] = token,
            ["client"] = client,
            ["expires"] = expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["scope"] = scope,
        },
    };

    private static JsonObject RefreshToken(int pk, string token, int client, int user, int? access) => new()
    {
        ["model"] = "oauth2.refreshtoken",
        ["pk"] = pk,
        ["fields"] = new JsonObject { ["user"] = user, ["token"] = token, ["access_token"] = access, ["client"] = client, ["expired"] = false },
    };

    private static int Count(JsonElement report, string kind, string what) => report.GetProperty(kind).GetProperty(what).GetInt32();

    private static List<(string?, string?)> Refused(JsonElement report) =>
        report.ValueKind == JsonValueKind.Object
            ? [.. report.GetProperty("refused").EnumerateArray().Select(r => (r.GetProperty("model").GetString(), r.GetProperty("pk").GetString()))]
            : [];

    private JsonObject Record(string model, int pk) =>
        _dump.Select(node => node!.AsObject()).Single(record => record["model"]!.GetValue<string>() == model && record["pk"]!.GetValue<int>() == pk);

    private string Value(string model, int pk) => Record(model, pk)["fields"]!["token"]!.GetValue<string>();

    private static Task<HttpResponseMessage> PasswordGrantAsync(HttpClient http, string username, string password) =>
        http.TokenAsync(Web, ("grant_type", "password"), ("username", username), ("password", password));

    private static async Task<string> WriteAsync(JsonArray dump) => await WriteTextAsync(dump.ToJsonString());

    private static async Task<string> WriteTextAsync(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "review-dump-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private Task<InProcessCli> ImportAsync(string path, params string[] options) => CliAsync(["import", "django", path, .. options]);

    private Task<InProcessCli> CliAsync(params string[] args) => CliAsync(_server, args);

    private static Task<InProcessCli> CliAsync(OAuthTestServer server, params string[] args) => CliAsync(server, null, args);

    private static Task<InProcessCli> CliAsync(OAuthTestServer server, TextReader? stdin, params string[] args) => InProcessCli.RunAsync(server, args, stdin);
}
