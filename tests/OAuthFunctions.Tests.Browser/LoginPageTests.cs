using Microsoft.Playwright;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Tests.Browser.Support;
using static Microsoft.Playwright.Assertions;

namespace OAuthFunctions.Tests.Browser;

/// <summary>The login page (docs/BEHAVIOUR.md §5) in a browser: a generic error, no session, then a second chance.</summary>
[Collection(BrowserTests.Name)]
public sealed class LoginPageTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [SkippableFact]
    public async Task Wrong_password_shows_the_generic_alert_and_no_session_then_the_right_one_signs_in()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync(name: "Photo Printer");
        var username = await fixture.NewUserAsync(Password);

        await page.GotoAsync(AuthorizationPages.AuthorizeUrl(client, state: "s1"));
        await AuthorizationPages.SignInAsync(page, username, "wrong password");

        // docs/BEHAVIOUR.md §5: one message whatever went wrong (no user enumeration), announced to screen readers.
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(LoginEndpoint.FailedMessage);
        await Expect(page).ToHaveTitleAsync("Sign in to continue to Photo Printer");
        Assert.Equal(AuthorizationPages.LoginPath, new Uri(page.Url).AbsolutePath);
        Assert.DoesNotContain("oauth_session", await session.CookieNamesAsync(fixture.Server.BaseAddress));
        // The username is kept and the password is not; focus waits in the password field, and the error describes both.
        await Expect(page.GetByLabel("Username")).ToHaveValueAsync(username);
        await Expect(page.GetByLabel("Password")).ToHaveValueAsync(string.Empty);
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Username")).ToHaveAccessibleDescriptionAsync(LoginEndpoint.FailedMessage);
        await Expect(page.GetByLabel("Password")).ToHaveAccessibleDescriptionAsync(LoginEndpoint.FailedMessage);

        await AuthorizationPages.SignInAsync(page, username, Password);
        await page.WaitForURLAsync("**" + AuthorizationPages.ConfirmPath);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authorize Photo Printer?" })).ToBeVisibleAsync();
        Assert.Contains("oauth_session", await session.CookieNamesAsync(fixture.Server.BaseAddress));
    }
}
