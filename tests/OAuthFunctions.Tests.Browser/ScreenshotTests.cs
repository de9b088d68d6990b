using Microsoft.Playwright;
using OAuthFunctions.Tests.Browser.Support;
using static Microsoft.Playwright.Assertions;

namespace OAuthFunctions.Tests.Browser;

/// <summary>
/// Pictures of the login and consent pages at a desktop size, for review and for the README. Always written to the
/// test output (<c>screenshots/</c>, with dark-mode variants); the light ones also to <c>docs/screenshots/</c> when
/// <c>OAUTH_UPDATE_SCREENSHOTS=1</c>.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ScreenshotTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [SkippableFact]
    public async Task Login_and_consent_pages_are_captured()
    {
        await using var session = await fixture.OpenAsync(1000, 700);
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync(name: "Photo Printer");
        // A fixed name keeps the README picture the same from run to run (each run has its own tables).
        const string username = "alice";
        await fixture.Server.AddUserAsync(username, Password);

        await page.GotoAsync(AuthorizationPages.AuthorizeUrl(client, state: "shot"));
        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync();
        await Screenshots.SaveAsync(page, "login.png", forDocs: true);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Screenshots.SaveAsync(page, "login-dark.png");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        await AuthorizationPages.SignInAsync(page, username, Password);
        await page.WaitForURLAsync("**" + AuthorizationPages.ConfirmPath);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "consent.png", forDocs: true);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Screenshots.SaveAsync(page, "consent-dark.png");

        // The inline stylesheet carries the CSP nonce: a blocked style would be reported here.
        Assert.Empty(session.ConsoleErrors);
    }
}
