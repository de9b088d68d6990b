using System.Net;
using Microsoft.Playwright;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Tests.Browser.Support;
using static Microsoft.Playwright.Assertions;

namespace OAuthFunctions.Tests.Browser;

/// <summary>The authorization code flow as a person sees it (docs/BEHAVIOUR.md §5): sign in, consent, back at the client.</summary>
[Collection(BrowserTests.Name)]
public sealed class ConsentFlowTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [SkippableFact]
    public async Task Approving_returns_to_the_client_with_a_code_that_redeems_for_a_token()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync(name: "Photo Printer");
        var username = await fixture.NewUserAsync(Password);

        await AuthorizationPages.OpenConsentAsync(page, client, username, Password, state: "xyz-123");

        // docs/BEHAVIOUR.md §5: the client's name and URL and the requested scopes in words.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authorize Photo Printer?" })).ToBeVisibleAsync();
        await Expect(page.GetByText("https://client.example")).ToBeVisibleAsync();
        await Expect(page.GetByText(username)).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["Read your data (read)", "Create, change and delete your data (write)"]);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Deny" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        var callback = await AuthorizationPages.ClientCallbackAsync(page, client);

        Assert.Equal("xyz-123", callback["state"]);
        // docs/BEHAVIOUR.md §1 (Referrer-Policy: no-referrer): the client's site is not told which server page sent the browser.
        var visit = Assert.Single(fixture.ClientSite.Visits, v => v.Url.Query.Contains(callback["code"], StringComparison.Ordinal));
        Assert.Equal(string.Empty, visit.Referer);

        var (status, token) = await TokenExchange.RedeemAsync(fixture.Server, client, callback["code"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.Equal("read write", token.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(token.GetProperty("access_token").GetString()));
        Assert.Empty(session.ConsoleErrors);
    }

    [SkippableFact]
    public async Task Denying_returns_to_the_client_with_access_denied_and_no_code()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync(name: "Photo Printer");
        var username = await fixture.NewUserAsync(Password);

        await AuthorizationPages.OpenConsentAsync(page, client, username, Password, state: "deny-state");
        await page.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();
        var callback = await AuthorizationPages.ClientCallbackAsync(page, client);

        // RFC 6749 §4.1.2.1: the refusal goes back to the client with the state, and no code.
        Assert.Equal("access_denied", callback["error"]);
        Assert.Equal("deny-state", callback["state"]);
        Assert.False(callback.ContainsKey("code"));
    }

    [SkippableFact]
    public async Task Public_client_with_pkce_redeems_the_code_with_its_verifier()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync(ClientType.Public, name: "Phone App");
        var username = await fixture.NewUserAsync(Password);
        var (verifier, challenge) = AuthorizationPages.NewPkce();

        await AuthorizationPages.OpenConsentAsync(page, client, username, Password, state: "pkce-state", scope: "read", codeChallenge: challenge);
        await Expect(page.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["Read your data (read)"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        var callback = await AuthorizationPages.ClientCallbackAsync(page, client);

        Assert.Equal("pkce-state", callback["state"]);
        // RFC 7636 §4.5: the public client proves possession of the verifier instead of a secret.
        var (status, token) = await TokenExchange.RedeemAsync(fixture.Server, client, callback["code"], verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.Equal("read", token.GetProperty("scope").GetString());
    }
}
