using Microsoft.Playwright;
using OAuthFunctions.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>
/// The local host against Azurite, the client's site, the Playwright driver (node, shipped in the NuGet package's
/// <c>.playwright</c> folder, so nothing is downloaded) and one headless Chromium. Nothing starts when Chromium is
/// missing: the tests then skip (or fail in CI) through <see cref="Chromium.EnsureInstalled"/>.
/// </summary>
public sealed class BrowserFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private OAuthTestServer? _server;
    private ClientSite? _clientSite;

    public OAuthTestServer Server => _server ?? throw new InvalidOperationException("Call OpenAsync first.");

    public ClientSite ClientSite => _clientSite ?? throw new InvalidOperationException("Call OpenAsync first.");

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            diagnostics.OnMessage(new DiagnosticMessage(Chromium.NotFoundMessage));
            return;
        }

        Assertions.SetDefaultExpectTimeout(10_000);
        _server = await OAuthTestServer.StartAsync();
        _clientSite = await ClientSite.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = [.. Chromium.Arguments, _clientSite.HostResolverRule],
        });
    }

    /// <summary>
    /// A fresh browser context (its own cookies: a person who has not signed in) with one page. A desktop window by
    /// default; <paramref name="phone"/> emulates a touch phone that honours the pages' viewport meta tag.
    /// Skips the test when Chromium is missing (fails it when CI requires the browser).
    /// </summary>
    public async Task<BrowserSession> OpenAsync(int width = 1000, int height = 700, bool phone = false)
    {
        Chromium.EnsureInstalled();
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 3 : 1,
            ColorScheme = ColorScheme.Light,
            Locale = "en-US",
            // Only the client's site is HTTPS, with its self-signed certificate; the server under test is plain HTTP.
            IgnoreHTTPSErrors = true,
        });
        // Generous for a loaded two-core CI runner; a passing run never waits this long.
        context.SetDefaultTimeout(20_000);
        return await BrowserSession.OpenAsync(context);
    }

    /// <summary>A new resource owner with a unique username (every test class shares the server's users table).</summary>
    public async Task<string> NewUserAsync(string password, string prefix = "person-")
    {
        var username = prefix + Guid.NewGuid().ToString("N")[..8];
        await Server.AddUserAsync(username, password);
        return username;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_clientSite is not null)
        {
            await _clientSite.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
