using System.Text.Json;
using OAuthFunctions.Cli;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Cli;

/// <summary>
/// oauthctl as scripts use it (docs/BEHAVIOUR.md §9): storage and settings from the environment, --json results on stdout,
/// exit code 0, or non-zero with one line on stderr. Runs the CLI in process against the test server's tables.
/// </summary>
public sealed class CliTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly OAuthTestServer _server = fixture.Server;
    private readonly CapturingLoggerProvider _log = new();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Init_is_idempotent()
    {
        var first = await RunAsync(["init", "--json"]);
        Assert.Equal(0, first.ExitCode);
        var tables = first.Json.GetProperty("tables").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal([_server.TablePrefix + "Clients", _server.TablePrefix + "Users", _server.TablePrefix + "Tokens", _server.TablePrefix + "Keys"], tables);
        Assert.Empty(first.Json.GetProperty("created").EnumerateArray());
    }

    [Fact]
    public async Task Clients_add_prints_the_id_and_the_secret_once_and_the_client_works()
    {
        var added = await RunAsync(["clients", "add", "--name", "Billing", "--url", "https://billing.example", "--redirect-uri", "https://billing.example/cb", "--type", "confidential", "--json"]);
        Assert.Equal(0, added.ExitCode);
        var client = new TestClient(added.Json.Str("client_id"), added.Json.Str("client_secret"), "https://billing.example/cb");

        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));

        var shown = await RunAsync(["clients", "show", client.ClientId, "--json"]);
        Assert.DoesNotContain(client.Secret!, shown.Stdout, StringComparison.Ordinal);
        Assert.Equal("confidential", shown.Json.Str("type"));
        Assert.Contains("client_credentials", shown.Json.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task Public_client_has_a_null_secret_and_cannot_get_client_credentials()
    {
        var added = await RunAsync(["clients", "add", "--name", "App", "--url", "https://app.example", "--redirect-uri", "com.example.app:/cb", "--redirect-uri", "https://app.example/cb", "--type", "public", "--json"]);
        Assert.Equal(0, added.ExitCode);
        Assert.Equal(JsonValueKind.Null, added.Json.GetProperty("client_secret").ValueKind);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id"), "--json"]);
        Assert.DoesNotContain("client_credentials", shown.Json.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(2, shown.Json.GetProperty("redirect_uris").GetArrayLength());
    }

    [Fact]
    public async Task New_client_without_grant_types_gets_no_implicit_while_the_implicit_flow_is_off()
    {
        var added = await RunAsync(["clients", "add", "--name", "Web", "--url", "https://web.example", "--redirect-uri", "https://web.example/cb", "--type", "confidential", "--json"]);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id"), "--json"]);

        Assert.Equal(
            new[] { "authorization_code", "refresh_token", "password", "client_credentials" },
            shown.Json.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()!).ToArray());
    }

    [Fact]
    public async Task New_client_without_grant_types_gets_implicit_when_the_server_enables_it()
    {
        var environment = await EnvironmentAsync();
        environment["OAuth__ResponseTypes"] = "code,token";
        var added = await RunAsync(["clients", "add", "--name", "Spa", "--url", "https://spa.example", "--redirect-uri", "https://spa.example/cb", "--type", "public", "--json"], environment: environment);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id"), "--json"]);

        Assert.Equal(
            new[] { "authorization_code", "refresh_token", "password", "implicit" },
            shown.Json.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()!).ToArray());
    }

    [Fact]
    public async Task Json_output_leaves_apostrophes_and_plus_signs_alone_and_dates_end_in_z()
    {
        var added = await RunAsync(["clients", "add", "--name", "Ann's C++ app", "--url", "https://ann.example", "--redirect-uri", "https://ann.example/cb", "--type", "public", "--json"]);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id"), "--json"]);

        Assert.Contains("\"name\": \"Ann's C++ app\"", shown.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", shown.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", shown.Json.Str("created_at"));
    }

    [Fact]
    public async Task Clients_show_prints_plain_values_and_leaves_out_what_is_absent()
    {
        var added = await RunAsync(["clients", "add", "--name", "Plain", "--url", "https://plain.example", "--redirect-uri", "https://plain.example/cb", "--type", "confidential", "--json"]);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id")]);

        var lines = shown.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("name: Plain", lines);
        Assert.Contains("redirect_uris: https://plain.example/cb", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("owner:", StringComparison.Ordinal));
        Assert.DoesNotContain("\"", shown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_env_prints_assignments_a_shell_can_eval()
    {
        var added = await RunAsync(["clients", "add", "--name", "Env", "--url", "https://env.example", "--redirect-uri", "https://env.example/cb", "--type", "confidential", "--output", "env"]);

        Assert.Equal(0, added.ExitCode);
        var lines = added.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^CLIENT_ID=[A-Za-z0-9_-]+$", lines[0]);
        Assert.Matches("^CLIENT_SECRET=[A-Za-z0-9_-]{43}$", lines[1]);
        var client = new TestClient(lines[0]["CLIENT_ID=".Length..], lines[1]["CLIENT_SECRET=".Length..], "https://env.example/cb");
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
    }

    [Fact]
    public async Task Output_env_quotes_a_value_a_shell_would_otherwise_run()
    {
        var added = await RunAsync(["clients", "add", "--name", "Bob's $(reboot) `app`", "--url", "https://bob.example", "--redirect-uri", "https://bob.example/cb", "--type", "public", "--json"]);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id"), "--output", "env"]);

        Assert.Contains("NAME='Bob'\\''s $(reboot) `app`'", shown.Stdout.Split('\n').Select(l => l.TrimEnd('\r')));
        Assert.Contains("OWNER=", shown.Stdout.Split('\n').Select(l => l.TrimEnd('\r')));

        // What bash makes of it: the name, as text.
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("eval \"$OUTPUT\"; printf '%s' \"$NAME\"");
        start.Environment["OUTPUT"] = shown.Stdout;
        using var bash = System.Diagnostics.Process.Start(start)!;
        var evaluated = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.Equal("Bob's $(reboot) `app`", evaluated);
    }

    [Fact]
    public async Task Output_env_refuses_a_list()
    {
        var listed = await RunAsync(["clients", "list", "--output", "env"]);

        Assert.Equal(OAuthCtl.UsageError, listed.ExitCode);
        Assert.Single(listed.Stderr.Trim().Split('\n'));
        Assert.Equal(string.Empty, listed.Stdout);
    }

    [Theory]
    [InlineData("--type", "secret-agent")]
    [InlineData("--redirect-uri", "https://app.example/cb#fragment")]
    [InlineData("--url", "not a url")]
    [InlineData("--scopes", "read,admin")]
    [InlineData("--grant-types", "client_credentials,magic")]
    public async Task Invalid_input_exits_non_zero_with_one_line_on_stderr(string option, string value)
    {
        var arguments = new Dictionary<string, string>
        {
            ["--name"] = "X",
            ["--url"] = "https://x.example",
            ["--redirect-uri"] = "https://x.example/cb",
            ["--type"] = "confidential",
        };
        arguments[option] = value;
        var result = await RunAsync(["clients", "add", .. arguments.SelectMany(a => new[] { a.Key, a.Value }), "--json"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Equal(string.Empty, result.Stdout.Trim());
    }

    [Fact]
    public async Task Rotate_secret_replaces_the_secret()
    {
        var added = await RunAsync(["clients", "add", "--name", "R", "--url", "https://r.example", "--redirect-uri", "https://r.example/cb", "--type", "confidential", "--json"]);
        var rotated = await RunAsync(["clients", "rotate-secret", added.Json.Str("client_id"), "--json"]);
        Assert.Equal(0, rotated.ExitCode);
        Assert.NotEqual(added.Json.Str("client_secret"), rotated.Json.Str("client_secret"));
    }

    [Fact]
    public async Task Rotate_secret_with_revoke_tokens_revokes_what_the_client_holds()
    {
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));

        var rotated = await RunAsync(["clients", "rotate-secret", client.ClientId, "--revoke-tokens", "--settle", "0", "--json"]);
        Assert.Equal(0, rotated.ExitCode);
        Assert.Equal(1, rotated.Json.GetProperty("tokens_revoked").GetInt32());
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", await _server.AddClientAsync(), ("token", token.Str("access_token"))));
        Assert.False(answer.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Users_add_reads_the_password_from_stdin_and_the_user_can_sign_in()
    {
        var username = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var added = await RunAsync(["users", "add", username, "--password-stdin", "--json"], stdin: "s3cret-passw0rd\n");
        Assert.Equal(0, added.ExitCode);
        Assert.Equal(username, added.Json.Str("username"));

        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", username), ("password", "s3cret-passw0rd")));

        var listed = await RunAsync(["users", "list", "--json"]);
        Assert.Contains(username, listed.Json.EnumerateArray().Select(u => u.Str("username")));
    }

    [Fact]
    public async Task Short_password_is_refused()
    {
        var result = await RunAsync(["users", "add", "cli-short", "--password-stdin"], stdin: "short\n");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("8", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_set_password_replaces_the_password()
    {
        var user = await _server.AddUserAsync("cli-pw-" + Guid.NewGuid().ToString("N")[..8], "old password");
        var result = await RunAsync(["users", "set-password", user.Username, "--password-stdin", "--settle", "0"], stdin: "new password!");
        Assert.Equal(0, result.ExitCode);
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", "new password!")));
    }

    [Fact]
    public async Task Users_remove_revokes_the_users_tokens()
    {
        var user = await _server.AddUserAsync("cli-rm-" + Guid.NewGuid().ToString("N")[..8], "correct horse");
        var client = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        var token = await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", "correct horse")));

        var removed = await RunAsync(["users", "remove", user.Username, "--settle", "0", "--json"]);
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(2, removed.Json.GetProperty("tokens_revoked").GetInt32());
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", client, ("token", token.Str("access_token"))));
        Assert.False(answer.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Tokens_revoke_by_client_revokes_every_token_of_the_client()
    {
        var client = await _server.AddClientAsync();
        var other = await _server.AddClientAsync();
        using var http = _server.CreateClient();
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        await OAuthAssert.SuccessAsync(await http.TokenAsync(client, ("grant_type", "client_credentials")));
        var kept = await OAuthAssert.SuccessAsync(await http.TokenAsync(other, ("grant_type", "client_credentials")));

        var result = await RunAsync(["tokens", "revoke", "--client", client.ClientId, "--settle", "0", "--json"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Json.GetProperty("revoked").GetInt32());
        var answer = await OAuthAssert.SuccessAsync(await http.AuthenticatedPostAsync("/oauth2/introspect", other, ("token", kept.Str("access_token"))));
        Assert.True(answer.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Every_change_to_users_and_tokens_is_a_security_event_without_the_password()
    {
        var name = "cli-audit-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await RunAsync(["users", "add", name, "--password-stdin"], stdin: "first password")).ExitCode);
        Assert.Equal(0, (await RunAsync(["users", "set-password", name, "--password-stdin", "--settle", "0"], stdin: "second password")).ExitCode);
        Assert.Equal(0, (await RunAsync(["users", "disable", name, "--settle", "0"])).ExitCode);
        Assert.Equal(0, (await RunAsync(["users", "enable", name])).ExitCode);
        Assert.Equal(0, (await RunAsync(["tokens", "revoke", "--user", name, "--settle", "0"])).ExitCode);
        Assert.Equal(0, (await RunAsync(["users", "remove", name, "--settle", "0"])).ExitCode);

        var events = _log.Entries.Where(e => e.Category == Core.Security.SecurityLog.Category && e.EventId.Id == 1100).ToList();
        Assert.Equal(
            ["UserAdded", "PasswordSet", "UserDisabled", "UserEnabled", "TokensRevoked", "UserRemoved"],
            events.Select(e => (string)e.Values["Action"]!).ToArray());
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty((string?)e.Values["UserId"])));
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains("password", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("first", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Entries, e => e.Values.Values.OfType<string>().Any(v => v.Contains("second password", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_change_to_clients_is_a_security_event_without_the_secret()
    {
        var added = await RunAsync(["clients", "add", "--name", "Audited", "--url", "https://audited.example", "--redirect-uri", "https://audited.example/cb", "--type", "confidential", "--json"]);
        var clientId = added.Json.Str("client_id");
        var rotated = await RunAsync(["clients", "rotate-secret", clientId, "--json"]);
        Assert.Equal(0, (await RunAsync(["clients", "remove", clientId, "--settle", "0"])).ExitCode);

        var events = _log.Entries.Where(e => e.EventId.Id == 1100 && (string?)e.Values["ClientId"] == clientId).Select(e => (string)e.Values["Action"]!).ToArray();
        Assert.Equal(["ClientAdded", "SecretRotated", "ClientRemoved"], events);
        var secrets = new[] { added.Json.Str("client_secret"), rotated.Json.Str("client_secret") };
        Assert.DoesNotContain(_log.Entries, e => secrets.Any(secret => e.Message.Contains(secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Tokens_revoke_needs_exactly_one_selector()
    {
        var result = await RunAsync(["tokens", "revoke"]);
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Purge_prints_the_counts_per_kind()
    {
        var result = await RunAsync(["purge", "--dry-run", "--json"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var kind in new[] { "codes", "access_tokens", "refresh_tokens", "rotated_refresh_tokens", "tombstones", "total" })
        {
            Assert.Equal(JsonValueKind.Number, result.Json.GetProperty(kind).ValueKind);
        }

        Assert.True(result.Json.GetProperty("dry_run").GetBoolean());
    }

    [Fact]
    public async Task Unreachable_storage_exits_non_zero_with_a_message()
    {
        var environment = new Dictionary<string, string?>
        {
            ["OAuthStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        };
        var result = await RunAsync(["clients", "list"], environment: environment);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("storage", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<Dictionary<string, string?>> EnvironmentAsync() => new()
    {
        ["OAuthStorage"] = await SharedAzurite.ConnectionStringAsync(),
        ["OAuth__TablePrefix"] = _server.TablePrefix,
    };

    private async Task<CliResult> RunAsync(string[] args, string stdin = "", Dictionary<string, string?>? environment = null)
    {
        environment ??= await EnvironmentAsync();
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OAuthCtl.RunAsync(args, new CliConsole(input, output, error) { Log = _log }, environment);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliResult(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement.Clone();
    }
}
