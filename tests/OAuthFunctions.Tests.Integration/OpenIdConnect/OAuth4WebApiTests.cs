using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OAuthFunctions.LocalHost;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.OpenIdConnect;

/// <summary>
/// A second, independent relying party from another ecosystem: oauth4webapi (npm, in package.json), run by node from
/// tests/clients/oauth4webapi/relying-party.mjs. It discovers the server, sends a request with state, nonce and PKCE,
/// and validates the ID token strictly: signature against the JWKS, iss, aud, exp, nonce, and at_hash.
/// </summary>
public sealed class OAuth4WebApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse battery";
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task Oauth4webapi_validates_the_id_token_and_reads_userinfo()
    {
        var (client, user, start, callback) = await AuthorizeAsync();
        var result = await NodeAsync(
            "finish", Issuer, client.ClientId, client.Secret!, client.RedirectUri, callback, start.Str("state"), start.Str("nonce"), start.Str("verifier"));

        Assert.True(result.ExitCode == 0, result.Error);
        using var claims = JsonDocument.Parse(result.Output);
        Assert.Equal(Issuer, claims.RootElement.Str("iss"));
        Assert.Equal(client.ClientId, claims.RootElement.Str("aud"));
        Assert.Equal(user.UserId, claims.RootElement.Str("sub"));
        Assert.Equal(user.UserId, claims.RootElement.Str("userinfo_sub"));
        Assert.Equal(start.Str("nonce"), claims.RootElement.Str("nonce"));
        Assert.Equal("Carol Example", claims.RootElement.Str("name"));
        Assert.Equal("carol@example.com", claims.RootElement.Str("email"));
    }

    [Fact]
    public async Task Oauth4webapi_refuses_an_id_token_for_another_nonce()
    {
        // The replay: an authorization response from one sign-in presented to a session that sent another nonce.
        var (client, _, start, callback) = await AuthorizeAsync();
        var result = await NodeAsync(
            "finish", Issuer, client.ClientId, client.Secret!, client.RedirectUri, callback, start.Str("state"), "another-nonce-" + Guid.NewGuid().ToString("N"), start.Str("verifier"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nonce", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    private string Issuer => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    private async Task<(TestClient Client, Core.Users.User User, JsonElement Start, string Callback)> AuthorizeAsync()
    {
        var client = await _server.AddClientAsync(redirectUris: ["http://127.0.0.1/callback"]);
        var user = await _server.AddUserAsync("o4w-" + Guid.NewGuid().ToString("N")[..10], Password, name: "Carol Example", email: "carol@example.com");
        var started = await NodeAsync("start", Issuer, client.ClientId, client.RedirectUri);
        Assert.True(started.ExitCode == 0, started.Error);
        using var document = JsonDocument.Parse(started.Output);
        var start = document.RootElement.Clone();

        using var flow = new FlowDriver(_server);
        await flow.LoginAsync(user.Username, Password);
        var capture = await flow.Http.GetAsync(new Uri(start.Str("url")).PathAndQuery);
        Assert.Equal(HttpStatusCode.Found, capture.StatusCode);
        var consent = await flow.Http.GetAsync(capture.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        var callback = await flow.ApproveAsync(consent);
        return (client, user, start, callback.ToString());
    }

    private static async Task<(int ExitCode, string Output, string Error)> NodeAsync(params string[] arguments)
    {
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "tests", "clients", "oauth4webapi", "relying-party.mjs"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
