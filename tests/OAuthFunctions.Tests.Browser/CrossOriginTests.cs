using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Tests.Browser.Support;
using static Microsoft.Playwright.Assertions;

namespace OAuthFunctions.Tests.Browser;

/// <summary>
/// A browser app on another origin (docs/BEHAVIOUR.md §12), in a real Chromium: the CORS checks are the browser's own.
/// The same page runs from an origin its client allows and from one it does not.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class CrossOriginTests(BrowserFixture fixture) : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private SpaSite _spa = null!;

    private string Server => fixture.Server.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync() => _spa = await SpaSite.StartAsync();

    public async Task DisposeAsync() => await _spa.DisposeAsync();

    [SkippableFact]
    public async Task A_page_on_an_allowed_origin_runs_the_code_flow_with_pkce_and_fetch()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync(ClientType.Public, [_spa.AllowedOrigin + "/callback"], name: "Notes SPA", allowedOrigins: [_spa.AllowedOrigin]);
        var username = await fixture.NewUserAsync(Password);

        await page.GotoAsync($"{_spa.AllowedOrigin}/?server={Uri.EscapeDataString(Server)}&client={client.ClientId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**" + AuthorizationPages.LoginPath + "?**");
        await AuthorizationPages.SignInAsync(page, username, Password);
        await page.WaitForURLAsync("**" + AuthorizationPages.ConfirmPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await page.WaitForURLAsync(_spa.AllowedOrigin + "/callback?**");
        await Expect(page.Locator("#result")).ToContainTextAsync("revoked");

        // The page read the token answer (a CORS request) and its revocation went through a preflight (Authorization).
        using var result = JsonDocument.Parse((await page.Locator("#result").TextContentAsync())!);
        Assert.Equal(200, result.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Bearer", result.RootElement.GetProperty("token_type").GetString());
        Assert.Equal("read", result.RootElement.GetProperty("scope").GetString());
        Assert.True(result.RootElement.GetProperty("has_access_token").GetBoolean());
        Assert.Equal(200, result.RootElement.GetProperty("revoked").GetInt32());
        Assert.Empty(session.ConsoleErrors);
    }

    [SkippableFact]
    public async Task A_page_on_an_origin_no_client_allows_cannot_read_the_token_endpoint()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var callback = _spa.OtherOrigin + "/callback";
        var client = await fixture.Server.AddClientAsync(ClientType.Public, [callback], name: "Notes SPA", allowedOrigins: [_spa.AllowedOrigin]);
        var username = await fixture.NewUserAsync(Password);

        // Discovery is a CORS request: the browser keeps the metadata from the page.
        await page.GotoAsync($"{_spa.OtherOrigin}/?server={Uri.EscapeDataString(Server)}&client={client.ClientId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#result")).ToHaveTextAsync("refused: metadata");

        // Navigation is not CORS: the person can still reach the server's pages. The test plays the app's part (its
        // flow state and the authorization request), and the page's own script then tries to redeem the code.
        var (verifier, challenge) = AuthorizationPages.NewPkce();
        await page.EvaluateAsync(
            "flow => sessionStorage.setItem('flow', JSON.stringify(flow))",
            new { clientId = client.ClientId, verifier, state = "other-origin", token = Server + "/oauth2/access_token", revocation = Server + "/oauth2/revoke" });
        await page.GotoAsync(Server + "/oauth2/authorize" + QueryString.Create(new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = client.ClientId,
            ["redirect_uri"] = callback,
            ["scope"] = "read",
            ["state"] = "other-origin",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }));
        await page.WaitForURLAsync("**" + AuthorizationPages.LoginPath + "?**");
        await AuthorizationPages.SignInAsync(page, username, Password);
        await page.WaitForURLAsync("**" + AuthorizationPages.ConfirmPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await page.WaitForURLAsync(callback + "?**");

        // fetch rejected: the answer carried no Access-Control-Allow-Origin for this origin.
        await Expect(page.Locator("#result")).ToHaveTextAsync("refused: token");
    }
}
