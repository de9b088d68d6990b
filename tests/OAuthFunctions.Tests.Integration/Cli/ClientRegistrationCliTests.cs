using System.Text.Json;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Cli;

/// <summary>
/// <c>oauthctl clients add</c> refuses what no server should register: each refusal is one line on stderr naming the
/// rule, exit code 2, and nothing written.
/// </summary>
public sealed class ClientRegistrationCliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Theory]
    [InlineData("public", "com.example.app:/cb", "--trusted", "RFC 8252 §8.6")]
    [InlineData("confidential", "javascript:alert(document.cookie)", null, "javascript scheme")]
    [InlineData("confidential", "data:text/html,hi", null, "data scheme")]
    [InlineData("confidential", "file:///etc/passwd", null, "file scheme")]
    [InlineData("confidential", "vbscript:msgbox(1)", null, "vbscript scheme")]
    [InlineData("confidential", "https://app.example/cb#fragment", null, "fragment")]
    [InlineData("confidential", "/oauth/callback", null, "not an absolute URI")]
    [InlineData("confidential", "http://app.example/cb", null, "--allow-insecure-redirect")]
    public async Task Unsafe_registration_is_refused_with_exit_code_2_and_nothing_written(string type, string redirectUri, string? flag, string rule)
    {
        var name = "refused-" + Guid.NewGuid().ToString("N")[..8];
        string[] args = ["clients", "add", "--name", name, "--url", "https://app.example", "--redirect-uri", redirectUri, "--type", type, "--json"];

        var result = await RunAsync(flag is null ? args : [.. args, flag]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains(rule, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout.Trim());
        var listed = await RunAsync(["clients", "list", "--json"]);
        Assert.DoesNotContain(name, listed.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1/cb")]
    [InlineData("http://[::1]:8080/cb")]
    [InlineData("http://localhost:3000/cb")]
    [InlineData("com.example.app:/oauth2redirect")]
    public async Task Loopback_and_private_use_redirect_uris_are_accepted_for_native_apps(string redirectUri)
    {
        var result = await RunAsync(["clients", "add", "--name", "Native", "--url", "https://app.example", "--redirect-uri", redirectUri, "--type", "public", "--json"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(JsonValueKind.Null, result.Json.GetProperty("client_secret").ValueKind);
    }

    [Fact]
    public async Task Plain_http_redirect_uri_is_accepted_with_allow_insecure_redirect()
    {
        var added = await RunAsync(["clients", "add", "--name", "Legacy", "--url", "http://legacy.example", "--redirect-uri", "http://legacy.example/cb", "--type", "confidential", "--allow-insecure-redirect", "--json"]);

        Assert.Equal(0, added.ExitCode);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id"), "--json"]);
        Assert.Equal("http://legacy.example/cb", shown.Json.GetProperty("redirect_uris")[0].GetString());
    }

    [Fact]
    public async Task Confidential_client_may_be_trusted()
    {
        var added = await RunAsync(["clients", "add", "--name", "First party", "--url", "https://app.example", "--redirect-uri", "https://app.example/cb", "--type", "confidential", "--trusted", "--json"]);

        Assert.Equal(0, added.ExitCode);
        var shown = await RunAsync(["clients", "show", added.Json.Str("client_id"), "--json"]);
        Assert.True(shown.Json.GetProperty("trusted").GetBoolean());
    }

    private Task<InProcessCli> RunAsync(string[] args) => InProcessCli.RunAsync(_server, args);
}
