using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OAuthFunctions.Tests.Browser.Support;
using static Microsoft.Playwright.Assertions;

namespace OAuthFunctions.Tests.Browser;

/// <summary>Keyboard and screen-reader basics of the pages, and their fit on a phone.</summary>
[Collection(BrowserTests.Name)]
public sealed partial class AccessibilityTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [SkippableFact]
    public async Task Login_page_focuses_the_username_and_labels_every_control()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync();
        await page.GotoAsync(AuthorizationPages.AuthorizeUrl(client, state: "s"));

        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync();
        await AssertEveryControlIsNamedAsync(page);
        await Expect(page.GetByLabel("Password")).ToHaveAttributeAsync("type", "password");
    }

    [SkippableFact]
    public async Task Keyboard_alone_signs_in_reaches_both_consent_buttons_and_approves()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync(name: "Photo Printer");
        var username = await fixture.NewUserAsync(Password);
        await page.GotoAsync(AuthorizationPages.AuthorizeUrl(client, state: "keys"));

        // The username field has focus on load: type, Tab to the password, Enter submits.
        await page.Keyboard.TypeAsync(username);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**" + AuthorizationPages.ConfirmPath);
        await AssertEveryControlIsNamedAsync(page);

        var approve = page.GetByRole(AriaRole.Button, new() { Name = "Approve" });
        var deny = page.GetByRole(AriaRole.Button, new() { Name = "Deny" });
        Assert.True(await TabUntilFocusedAsync(page, approve), "Tab never reached the Approve button.");
        await page.Keyboard.PressAsync("Tab");
        await Expect(deny).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(approve).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        var callback = await AuthorizationPages.ClientCallbackAsync(page, client);
        Assert.Equal("keys", callback["state"]);
        Assert.True(callback.ContainsKey("code"));
    }

    [SkippableFact]
    public async Task Login_consent_and_error_pages_declare_english_and_a_title()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        var client = await fixture.Server.AddClientAsync(name: "Photo Printer");
        var username = await fixture.NewUserAsync(Password);

        await page.GotoAsync(AuthorizationPages.AuthorizeUrl(client, state: "s"));
        await AssertLanguageAndTitleAsync(page, "Sign in to continue to Photo Printer");
        await AuthorizationPages.SignInAsync(page, username, Password);
        await page.WaitForURLAsync("**" + AuthorizationPages.ConfirmPath);
        await AssertLanguageAndTitleAsync(page, "Authorize Photo Printer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await AuthorizationPages.ClientCallbackAsync(page, client);

        // The flow has ended: the confirm page now shows the expired-session error page.
        await page.GotoAsync(AuthorizationPages.ConfirmPath);
        await AssertLanguageAndTitleAsync(page, "Authorization error");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Authorization session has expired.");
    }

    [SkippableFact]
    public async Task Pages_fit_a_phone_screen_without_horizontal_scrolling()
    {
        await using var session = await fixture.OpenAsync(390, 844, phone: true);
        var page = session.Page;
        // Long unbroken names are the worst case: an e-mail address as username, a product name without spaces.
        var client = await fixture.Server.AddClientAsync(name: "PhotoPrinterEnterpriseSynchronisationServiceForEveryone");
        var username = await fixture.NewUserAsync(Password, prefix: "firstname.lastname.of.someone@subsidiary.example-company.com.");

        await page.GotoAsync(AuthorizationPages.AuthorizeUrl(client, state: "phone"));
        await Screenshots.SaveAsync(page, "phone-login.png");
        await AssertNoHorizontalScrollAsync(page, "login");
        await AuthorizationPages.SignInAsync(page, username, "wrong password");
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync(page, "login with error");
        await AuthorizationPages.SignInAsync(page, username, Password);
        await page.WaitForURLAsync("**" + AuthorizationPages.ConfirmPath);
        await Screenshots.SaveAsync(page, "phone-consent.png");
        await AssertNoHorizontalScrollAsync(page, "consent");

        // Touch targets: the consent buttons are at least 44 CSS pixels high (WCAG 2.5.5).
        var approve = await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).BoundingBoxAsync();
        Assert.True(approve is { Height: >= 44 }, $"Approve is {approve?.Height} px high.");
    }

    private static async Task AssertEveryControlIsNamedAsync(IPage page)
    {
        var controls = page.Locator("input:not([type=hidden]), select, textarea, button");
        Assert.True(await controls.CountAsync() > 0, "The page has no controls.");
        foreach (var control in await controls.AllAsync())
        {
            await Expect(control).ToHaveAccessibleNameAsync(NotBlank());
        }

        // Inputs get their name from a <label for>, not a placeholder or a title.
        foreach (var input in await page.Locator("input:not([type=hidden])").AllAsync())
        {
            var labels = await input.EvaluateAsync<int>("e => e.labels.length");
            Assert.True(labels > 0, $"The input {await input.GetAttributeAsync("name")} has no label.");
        }
    }

    private static async Task<bool> TabUntilFocusedAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < 10; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task AssertLanguageAndTitleAsync(IPage page, string title)
    {
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page).ToHaveTitleAsync(title);
        await Expect(page.GetByRole(AriaRole.Main)).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(1);
    }

    private static async Task AssertNoHorizontalScrollAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The {what} page scrolls sideways on a phone: {widths[0]} px of content in {widths[1]} px.");
    }

    [GeneratedRegex(@"\S")]
    private static partial Regex NotBlank();
}
