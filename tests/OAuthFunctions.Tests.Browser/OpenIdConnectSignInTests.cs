using Microsoft.Playwright;
using OAuthFunctions.Tests.Browser.Support;
using static Microsoft.Playwright.Assertions;

namespace OAuthFunctions.Tests.Browser;

/// <summary>
/// Sign in with it, as a real relying party does: ASP.NET Core's OpenID Connect handler in samples/OidcWebApp reads the
/// discovery document, sends the person here, validates the ID token against the JWKS (signature, issuer, audience,
/// nonce, lifetime) and greets them by the name in it; signing out goes through the end-session endpoint
/// (docs/BEHAVIOUR.md §11).
/// </summary>
public sealed class OpenIdConnectSignInTests(RelyingPartyFixture fixture) : IClassFixture<RelyingPartyFixture>
{
    private const string Password = "correct horse battery";

    [SkippableFact]
    public async Task The_app_signs_in_through_login_and_consent_shows_the_name_from_the_id_token_and_signs_out_at_the_server()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var username = "oidc-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Server.AddUserAsync(username, Password, name: "Alice Example", email: "alice@example.com");

        await page.GotoAsync(RelyingPartyFixture.Origin + "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();

        // At the server: the login page, then consent for the OpenID Connect scopes in words.
        await page.WaitForURLAsync("**/oauth2/login?**");
        await AuthorizationPages.SignInAsync(page, username, Password);
        await page.WaitForURLAsync("**/oauth2/authorize/confirm");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authorize Sample app?" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["Sign you in with your account (openid)", "See your name (profile)", "See your email address (email)"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        // Back at the app, which accepted the ID token and shows the name it carries. The app's first code exchange
        // also reads the discovery document and the JWKS and compiles its handler: on a loaded machine that takes
        // longer than a page load, so this one wait is generous.
        await page.WaitForURLAsync(RelyingPartyFixture.Origin + "/", new() { Timeout = 120_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Alice Example" })).ToBeVisibleAsync();

        // Sign out: the app sends the browser to the end-session endpoint with its id_token_hint, and is sent back.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(RelyingPartyFixture.Origin + "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome" })).ToBeVisibleAsync();
        Assert.DoesNotContain("oauth_session", await session.CookieNamesAsync(fixture.Server.BaseAddress));

        // Signed out at the server too: signing in again asks for the password.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/oauth2/login?**");
        await Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
    }
}
