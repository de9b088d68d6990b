using System.Net;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Consuming.Support;

namespace OAuthFunctions.Tests.Consuming.Samples;

/// <summary>
/// samples/NativeClient (RFC 8252) as a person uses it: the app prints a URL, the person signs in and approves in a
/// browser (here an HTTP client acting as one), the browser lands on the app's loopback listener, the app redeems the
/// code with its PKCE verifier and calls the API.
/// </summary>
public sealed class NativeClientSampleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    private string Authority => _server.BaseAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task A_person_signs_in_through_the_browser_and_the_app_calls_the_api()
    {
        var apiClient = await _server.ApiClientAsync();
        var (api, address) = await SampleProcess.StartWebAsync("NotesApi", new Dictionary<string, string>
        {
            ["OAuthFunctions__Authority"] = Authority,
            ["OAuthFunctions__ClientId"] = apiClient.ClientId,
            ["OAuthFunctions__ClientSecret"] = apiClient.Secret!,
        });
        await using var _ = api;
        // RFC 8252 §7.3: registered without a port; the app listens wherever it can.
        var app = await _server.AddClientAsync(ClientType.Public, ["http://127.0.0.1/callback"], name: "Notes CLI");
        var username = "person-" + Guid.NewGuid().ToString("N")[..10];
        await _server.AddUserAsync(username, Tokens.Password);

        await using var cli = SampleProcess.Start("NativeClient", new Dictionary<string, string>
        {
            ["OAUTH_AUTHORITY"] = Authority,
            ["OAUTH_CLIENT_ID"] = app.ClientId,
            ["NOTES_API"] = address.ToString(),
        });
        var url = await cli.WaitForLineAsync(line => line.StartsWith(Authority + "/oauth2/authorize?", StringComparison.Ordinal));
        using var browser = new BrowserStandIn(_server);
        var (redirect, page) = await browser.SignInAndApproveAsync(url, username, Tokens.Password);

        Assert.Equal("127.0.0.1", redirect.Host);
        Assert.Equal("/callback", redirect.AbsolutePath);
        Assert.Contains("code_challenge_method=S256", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Signed in", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await cli.ExitCodeAsync() == 0, cli.Output + "\n" + cli.Errors);
        Assert.Contains("Signed in: Bearer token, scope \"read write\"", cli.Output, StringComparison.Ordinal);
        Assert.Contains("GET /notes: 200", cli.Output, StringComparison.Ordinal);
        Assert.Contains($"\"owner\":\"{username}\"", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_for_another_sign_in_is_refused()
    {
        var app = await _server.AddClientAsync(ClientType.Public, ["http://127.0.0.1/callback"], name: "Notes CLI");
        await using var cli = SampleProcess.Start("NativeClient", new Dictionary<string, string>
        {
            ["OAUTH_AUTHORITY"] = Authority,
            ["OAUTH_CLIENT_ID"] = app.ClientId,
        });
        var url = new Uri(await cli.WaitForLineAsync(line => line.StartsWith(Authority + "/oauth2/authorize?", StringComparison.Ordinal)));
        var redirectUri = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query)["redirect_uri"].ToString();

        // RFC 6749 §10.12: a forged callback (another request's state) is not this sign-in.
        using var attacker = new HttpClient();
        var page = await attacker.GetAsync(new Uri(redirectUri + "?code=stolen&state=not-this-one"));

        Assert.Contains("Sign-in failed", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await cli.ExitCodeAsync());
        Assert.Contains("state differs", cli.Errors, StringComparison.Ordinal);
    }
}
