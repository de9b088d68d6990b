using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Cli;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Cli;

/// <summary>oauthctl for OpenID Connect (docs/BEHAVIOUR.md §11): keys list|rotate, user profiles, client registration options.</summary>
public sealed class OpenIdConnectCliTests : IAsyncLifetime, IDisposable
{
    private readonly CapturingLoggerProvider _log = new();
    private OAuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Keys_list_shows_the_key_the_jwks_publishes_and_rotate_adds_one_that_signs_later()
    {
        using var http = _server.CreateClient();
        var published = (await IdTokens.JwksAsync(http)).GetProperty("keys")[0].Str("kid");

        var listed = await RunAsync(["keys", "list", "--json"]);
        Assert.Equal(0, listed.ExitCode);
        var key = Assert.Single(listed.Json.EnumerateArray());
        Assert.Equal(published, key.Str("kid"));
        Assert.Equal("signing", key.Str("status"));
        Assert.Equal("RS256", key.Str("alg"));

        var rotated = await RunAsync(["keys", "rotate", "--json"]);
        Assert.Equal(0, rotated.ExitCode);
        var keys = rotated.Json.EnumerateArray().ToList();
        Assert.Equal(["signing", "next"], keys.Select(k => k.Str("status")));

        // Once the server's instance refreshes (every five minutes), the JWKS has both, before the new one signs.
        await _server.Services.GetRequiredService<SigningKeys>().LoadAsync(CancellationToken.None);
        Assert.Equal(2, (await IdTokens.JwksAsync(http)).GetProperty("keys").GetArrayLength());

        var now = await RunAsync(["keys", "rotate", "--now", "--json"]);
        // After a compromise: the new key signs at once, and the key published ahead, which never signed, is dropped.
        Assert.Equal(["retired", "signing"], now.Json.EnumerateArray().Select(k => k.Str("status")));
        Assert.Contains(_log.Entries, e => e.Message.Contains("SigningKeyRotated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Users_add_and_update_set_the_claims_the_profile_and_email_scopes_release()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var added = await RunAsync(["users", "add", name, "--password-stdin", "--name", "Dana Example", "--email", "dana@example.com", "--email-verified", "true", "--json"], "a long password");
        Assert.Equal(0, added.ExitCode);

        var changed = await RunAsync(["users", "update", name, "--email", "dana@new.example", "--json"]);
        Assert.Equal(0, changed.ExitCode);
        Assert.Equal("Dana Example", changed.Json.Str("name"));
        Assert.Equal("dana@new.example", changed.Json.Str("email"));

        // A changed address is not verified until someone says so again.
        Assert.False(changed.Json.GetProperty("email_verified").GetBoolean());
        Assert.Equal(1, (await RunAsync(["users", "update", name, "--email", "not an address"])).ExitCode);
    }

    [Fact]
    public async Task Clients_add_registers_post_logout_uris_and_jwt_access_tokens_only_with_an_audience()
    {
        string[] common = ["clients", "add", "--name", "Api client", "--url", "https://app.example", "--redirect-uri", "https://app.example/cb", "--type", "confidential"];
        var noAudience = await RunAsync([.. common, "--access-token-format", "jwt"]);
        Assert.Equal(OAuthCtl.UsageError, noAudience.ExitCode);
        var unsafeLogout = await RunAsync([.. common, "--post-logout-redirect-uri", "javascript:alert(1)"]);
        Assert.Equal(OAuthCtl.UsageError, unsafeLogout.ExitCode);

        var added = await RunAsync([.. common, "--access-token-format", "jwt", "--access-token-audience", "https://api.example", "--post-logout-redirect-uri", "https://app.example/bye", "--json"]);
        Assert.Equal(0, added.ExitCode);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id"), "--json"]);
        Assert.Equal("jwt", shown.Json.Str("access_token_format"));
        Assert.Equal("https://api.example", shown.Json.Str("access_token_audience"));
        Assert.Equal("https://app.example/bye", shown.Json.GetProperty("post_logout_redirect_uris")[0].GetString());
    }

    private async Task<CliResult> RunAsync(string[] args, string stdin = "")
    {
        var environment = new Dictionary<string, string?>
        {
            ["OAuthStorage"] = await SharedAzurite.ConnectionStringAsync(),
            ["OAuth__TablePrefix"] = _server.TablePrefix,
        };
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OAuthCtl.RunAsync(args, new CliConsole(input, output, error) { Log = _log }, environment);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliResult(int ExitCode, string Stdout, string Stderr)
    {
        public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Stdout).RootElement.Clone();
    }
}
