using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Migration;

/// <summary>
/// Moving off django-oauth2-provider without logging anyone out (docs/MIGRATING.md): a dump in the original's exact
/// layout, with password hashes made by Django itself (tests/fixtures/django, made by its script), is imported with the
/// CLI; then every old client, password, access token and refresh token works here as it did there.
/// </summary>
public sealed class DjangoImportTests : IAsyncLifetime
{
    private const string WebClientId = DjangoFixture.WebClientId;
    private const string WebSecret = DjangoFixture.WebSecret;
    private const string MobileClientId = DjangoFixture.MobileClientId;

    private static readonly string FixturePath = DjangoFixture.DumpPath;

    private readonly JsonArray _dump = JsonNode.Parse(File.ReadAllText(FixturePath))!.AsArray();
    private OAuthTestServer _server = null!;

    private static TestClient Web => DjangoFixture.Web;

    private static TestClient Mobile => DjangoFixture.Mobile;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.With("OAuth:ClientCacheLifetime", "00:00:00"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Imports_users_clients_and_live_tokens_and_says_what_it_left_behind()
    {
        var result = await ImportAsync(FixturePath, "--json", "--add-grant-types", "client_credentials");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(6, Count(result.Json, "users", "added"));
        Assert.Equal(2, Count(result.Json, "clients", "added"));
        Assert.Equal(4, Count(result.Json, "access_tokens", "added"));
        Assert.Equal(1, Count(result.Json, "access_tokens", "skipped"));
        Assert.Equal(3, Count(result.Json, "refresh_tokens", "added"));
        Assert.Equal(1, Count(result.Json, "refresh_tokens", "skipped"));
        Assert.Equal(1, result.Json.GetProperty("grants_skipped").GetInt32());
        var warnings = result.Json.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("reason").GetString()!).ToList();
        Assert.Contains(warnings, w => w.Contains("erin", StringComparison.Ordinal) && w.Contains("md5", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("frank", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains(MobileClientId, StringComparison.Ordinal) && w.Contains("PKCE", StringComparison.Ordinal));
        Assert.Empty(result.Json.GetProperty("refused").EnumerateArray());
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("bob")]
    [InlineData("carol")]
    public async Task Each_user_signs_in_with_their_django_password_which_is_then_upgraded(string username)
    {
        await ImportAsync(FixturePath);
        using var http = _server.CreateClient();

        await OAuthAssert.SuccessAsync(await PasswordGrantAsync(http, username, "pw-" + username));
        var row = await _server.Services.GetRequiredService<IUserStore>().FindAsync(username, CancellationToken.None);
        Assert.DoesNotContain("pbkdf2_", row!.PasswordHash, StringComparison.Ordinal);
        await OAuthAssert.SuccessAsync(await PasswordGrantAsync(http, username, "pw-" + username));
        await OAuthAssert.ErrorAsync(await PasswordGrantAsync(http, username, "pw-someone-else"), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("dave")]
    [InlineData("erin")]
    [InlineData("frank")]
    public async Task Inactive_users_and_users_whose_hash_cannot_be_verified_cannot_sign_in(string username)
    {
        await ImportAsync(FixturePath);
        using var http = _server.CreateClient();

        await OAuthAssert.ErrorAsync(await PasswordGrantAsync(http, username, "pw-" + username), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.True((await _server.Services.GetRequiredService<IUserStore>().FindAsync(username, CancellationToken.None))!.Disabled);
    }

    [Theory]
    [InlineData(1, "read", WebClientId, "alice")]
    [InlineData(2, "read write", WebClientId, "bob")]
    [InlineData(3, "write", MobileClientId, "carol")]
    [InlineData(5, "read", MobileClientId, "bob")]
    public async Task Each_old_access_token_introspects_active_with_its_scope_client_and_user(int pk, string scope, string clientId, string username)
    {
        await ImportAsync(FixturePath);
        var token = Value("oauth2.accesstoken", pk);
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", token)));

        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal(scope, answer.Str("scope"));
        Assert.Equal(clientId, answer.Str("client_id"));
        Assert.Equal(username, answer.Str("username"));
    }

    [Fact]
    public async Task An_imported_token_costs_one_extra_read_and_a_token_of_this_server_none()
    {
        await ImportAsync(FixturePath);
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var native = await OAuthAssert.SuccessAsync(await http.TokenAsync(introspector, ("grant_type", "client_credentials")));

        _server.Counter.Reset();
        await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", Value("oauth2.accesstoken", 1))));
        var imported = _server.Counter.Count;
        _server.Counter.Reset();
        await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", native.Str("access_token"))));
        var own = _server.Counter.Count;

        Assert.Equal(3, imported);
        Assert.Equal(2, own);
    }

    [Fact]
    public async Task An_expired_access_token_was_not_imported()
    {
        await ImportAsync(FixturePath);
        var introspector = await _server.AddClientAsync();
        using var http = _server.CreateClient();

        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", Value("oauth2.accesstoken", 4))));

        Assert.False(answer.GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(2, 2, false)]
    [InlineData(3, 3, true)]
    public async Task Each_old_refresh_token_refreshes_once_and_a_second_use_ends_what_it_became(int pk, int accessPk, bool mobile)
    {
        await ImportAsync(FixturePath);
        var client = mobile ? Mobile : Web;
        var refreshToken = Value("oauth2.refreshtoken", pk);
        using var http = _server.CreateClient();

        var rotated = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        Assert.StartsWith("f", rotated.Str("refresh_token"), StringComparison.Ordinal);

        // The original's rule: the old pair stops working. Then the old refresh token is a reuse.
        var introspector = await _server.AddClientAsync();
        Assert.False((await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", Value("oauth2.accesstoken", accessPk))))).GetProperty("active").GetBoolean());
        await OAuthAssert.ErrorAsync(await http.TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.False((await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", introspector, ("token", rotated.Str("access_token"))))).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_used_refresh_token_of_the_original_was_not_imported()
    {
        await ImportAsync(FixturePath);
        using var http = _server.CreateClient();

        await OAuthAssert.ErrorAsync(await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", Value("oauth2.refreshtoken", 4))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task An_old_confidential_client_authenticates_with_its_old_secret()
    {
        await ImportAsync(FixturePath, "--add-grant-types", "client_credentials");
        using var http = _server.CreateClient();

        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(Web, ("grant_type", "client_credentials")));
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", Web, ("token", token.Str("access_token"))));
        Assert.True(answer.GetProperty("active").GetBoolean());
        await OAuthAssert.ErrorAsync(await http.TokenAsync(Web with { Secret = "not-the-secret" }, ("grant_type", "client_credentials")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task The_code_flow_works_for_an_old_confidential_client_and_an_old_user()
    {
        await ImportAsync(FixturePath);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync("alice", "pw-alice");
        var code = FlowDriver.QueryOf(await flow.ApproveAsync(await flow.StartAsync(("client_id", WebClientId), ("response_type", "code"))))["code"];

        var tokens = await OAuthAssert.SuccessAsync(await flow.Http.TokenAsync(Web, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Web.RedirectUri)));

        Assert.Equal("read", tokens.Str("scope"));
    }

    [Fact]
    public async Task An_old_public_client_keeps_its_code_flow_without_pkce_until_it_is_required()
    {
        await ImportAsync(FixturePath);
        using var flow = new FlowDriver(_server);
        await flow.LoginAsync("carol", "pw-carol");
        var code = FlowDriver.QueryOf(await flow.ApproveAsync(await flow.StartAsync(("client_id", MobileClientId), ("response_type", "code"))))["code"];
        await OAuthAssert.SuccessAsync(await flow.Http.TokenAsync(Mobile, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Mobile.RedirectUri)));

        Assert.Equal(0, (await CliAsync("clients", "update", MobileClientId, "--require-pkce")).ExitCode);

        var refused = await flow.CaptureAsync(("client_id", MobileClientId), ("response_type", "code"));
        var confirm = await flow.Http.GetAsync(refused.Headers.Location!.OriginalString);
        Assert.Contains("error=invalid_request", confirm.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing_and_says_so()
    {
        await ImportAsync(FixturePath);
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await PasswordGrantAsync(http, "alice", "pw-alice"));
        await OAuthAssert.SuccessAsync(await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", Value("oauth2.refreshtoken", 2))));

        var again = await ImportAsync(FixturePath);
        var json = await ImportAsync(FixturePath, "--json");

        Assert.Equal(0, again.ExitCode);
        Assert.True(again.Stdout.Contains("Nothing to import", StringComparison.Ordinal), again.Stdout);
        Assert.False(json.Json.GetProperty("changed").GetBoolean());
        Assert.Equal(6, Count(json.Json, "users", "unchanged"));
        Assert.Equal(3, Count(json.Json, "refresh_tokens", "unchanged"));

        // A refresh token used since the first import does not come back; the password alice upgraded stays hers.
        await OAuthAssert.ErrorAsync(await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", Value("oauth2.refreshtoken", 2))), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.SuccessAsync(await PasswordGrantAsync(http, "alice", "pw-alice"));
    }

    [Fact]
    public async Task A_newer_dump_updates_what_changed()
    {
        await ImportAsync(FixturePath);
        using var http = _server.CreateClient();
        var bobsOld = await OAuthAssert.SuccessAsync(await PasswordGrantAsync(http, "bob", "pw-bob"));

        // On the old server, bob's password became alice's and the web client was renamed.
        Record("auth.user", 2)["fields"]!["password"] = Record("auth.user", 1)["fields"]!["password"]!.GetValue<string>();
        Record("oauth2.client", 1)["fields"]!["name"] = "Billing";
        var newer = await WriteAsync(_dump);

        var result = await ImportAsync(newer, "--json");

        Assert.Equal(1, Count(result.Json, "users", "updated"));
        Assert.Equal(1, Count(result.Json, "clients", "updated"));
        await OAuthAssert.SuccessAsync(await PasswordGrantAsync(http, "bob", "pw-alice"));
        await OAuthAssert.ErrorAsync(await PasswordGrantAsync(http, "bob", "pw-bob"), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.ErrorAsync(await http.TokenAsync(Web, ("grant_type", "refresh_token"), ("refresh_token", bobsOld.Str("refresh_token"))), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_dry_run_writes_nothing()
    {
        var result = await ImportAsync(FixturePath, "--dry-run", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(4, Count(result.Json, "access_tokens", "added"));
        Assert.Null(await _server.Services.GetRequiredService<IUserStore>().FindAsync("alice", CancellationToken.None));
        Assert.Null(await _server.Services.GetRequiredService<IClientStore>().FindAsync(WebClientId, CancellationToken.None));
    }

    [Theory]
    [InlineData("{\"model\": \"auth.user\"}")]
    [InlineData("not json at all")]
    [InlineData("[{\"model\": \"auth.user\", \"pk\": 1}]")]
    public async Task A_file_that_is_not_a_dumpdata_array_is_refused_in_one_line_and_nothing_is_written(string content)
    {
        var path = await WriteTextAsync(content);

        var result = await ImportAsync(path);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await _server.Services.GetRequiredService<IUserStore>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_models_orphan_tokens_and_a_client_id_taken_with_another_secret_are_refused_by_model_and_pk()
    {
        _dump.Add(JsonNode.Parse("""{"model": "sessions.session", "pk": "abc", "fields": {}}"""));
        _dump.Add(JsonNode.Parse("""{"model": "oauth2.accesstoken", "pk": 77, "fields": {"user": 1, "token": "0123456789abcdef0123456789abcdef01234567", "client": 99, "expires": "2099-01-01T00:00:00Z", "scope": 2}}"""));
        await _server.Services.GetRequiredService<IClientStore>().AddAsync(new Core.Clients.Client
        {
            ClientId = MobileClientId,
            SecretHash = Core.Tokens.SecretHasher.Hash("another secret"),
            Name = "Somebody else's",
            Url = "https://else.example",
            RedirectUris = ["https://else.example/cb"],
            Type = Core.Clients.ClientType.Confidential,
            GrantTypes = Core.Clients.GrantTypes.All,
            Scope = _server.Scopes.All,
            CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        var path = await WriteAsync(_dump);

        var result = await ImportAsync(path, "--json");

        Assert.Equal(OAuthFunctions.Cli.Commands.ImportCommand.SomeRefused, result.ExitCode);
        var refused = result.Json.GetProperty("refused").EnumerateArray().Select(r => (r.GetProperty("model").GetString(), r.GetProperty("pk").GetString())).ToList();
        Assert.Contains(("sessions.session", "abc"), refused);
        Assert.Contains(("oauth2.accesstoken", "77"), refused);
        Assert.Contains(("oauth2.client", "2"), refused);

        // The refused client's tokens are refused too, not attached to the client already here.
        Assert.Contains(("oauth2.accesstoken", "3"), refused);
        var kept = await _server.Services.GetRequiredService<IClientStore>().FindAsync(MobileClientId, CancellationToken.None);
        Assert.Equal("Somebody else's", kept!.Name);
    }

    [Fact]
    public async Task Purge_removes_imported_tokens_and_their_index_once_they_expire()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.FakeTime = true);
        var soon = server.FakeTime!.GetUtcNow().AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var token = "c0ffee" + new string('0', 34);
        var dump = new JsonArray(
            _dump.Where(node => node!["model"]!.GetValue<string>() is "auth.user" or "oauth2.client").Select(node => node!.DeepClone()).ToArray());
        dump.Add(new JsonObject
        {
            ["model"] = "oauth2.accesstoken",
            ["pk"] = 50,
            ["fields"] = new JsonObject { ["user"] = 1, ["token"] = token, ["client"] = 1, ["expires"] = soon, ["scope"] = 2 },
        });
        var path = await WriteAsync(dump);
        var imported = await CliAsync(server, "import", "django", path, "--json");
        Assert.Equal(1, Count(imported.Json, "access_tokens", "added"));
        var hash = Core.Tokens.TokenHandle.HashOf(token);
        Assert.NotNull(await server.Tokens.FindImportedAsync(hash, CancellationToken.None));

        server.FakeTime.Advance(TimeSpan.FromHours(2));
        var report = await server.Services.GetRequiredService<Storage.Maintenance.TokenPurger>().PurgeAsync(dryRun: false, maxItems: null, CancellationToken.None);

        Assert.Equal(1, report.AccessTokens);
        Assert.Null(await server.Tokens.FindImportedAsync(hash, CancellationToken.None));
    }

    private static int Count(JsonElement report, string kind, string what) => report.GetProperty(kind).GetProperty(what).GetInt32();

    private JsonObject Record(string model, int pk) =>
        _dump.Select(node => node!.AsObject()).Single(record => record["model"]!.GetValue<string>() == model && record["pk"]!.GetValue<int>() == pk);

    private string Value(string model, int pk) => Record(model, pk)["fields"]!["token"]!.GetValue<string>();

    private static Task<HttpResponseMessage> PasswordGrantAsync(HttpClient http, string username, string password) =>
        http.TokenAsync(new TestClient(WebClientId, WebSecret, "https://billing.example/oauth/callback"), ("grant_type", "password"), ("username", username), ("password", password));

    private static async Task<string> WriteAsync(JsonArray dump) => await WriteTextAsync(dump.ToJsonString());

    private static async Task<string> WriteTextAsync(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "dump-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private Task<InProcessCli> ImportAsync(string path, params string[] options) => CliAsync(["import", "django", path, .. options]);

    private Task<InProcessCli> CliAsync(params string[] args) => CliAsync(_server, args);

    private static Task<InProcessCli> CliAsync(OAuthTestServer server, params string[] args) => InProcessCli.RunAsync(server, args);
}
