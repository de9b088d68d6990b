using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OAuthFunctions.Testing;
using OidcWebApp;

namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>
/// The local host against Azurite, the sample web app (samples/OidcWebApp, ASP.NET Core's OpenID Connect handler)
/// at <c>https://rp.example</c> registered as a confidential client, and one headless Chromium that resolves
/// rp.example to the app's loopback HTTPS port (a self-signed certificate made per run). The handler's correlation
/// and nonce cookies are <c>SameSite=None; Secure</c>, so the app must be HTTPS, as it would be deployed.
/// </summary>
public sealed class RelyingPartyFixture : IAsyncLifetime
{
    public const string Host = "rp.example";
    public const string Origin = "https://" + Host;

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private OAuthTestServer? _server;
    private WebApplication? _app;

    public OAuthTestServer Server => _server ?? throw new InvalidOperationException("Chromium is not installed.");

    public TestClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            return;
        }

        Assertions.SetDefaultExpectTimeout(15_000);
        _server = await OAuthTestServer.StartAsync();
        Client = await _server.AddClientAsync(
            redirectUris: [Origin + "/signin-oidc"],
            postLogoutRedirectUris: [Origin + "/signout-callback-oidc"],
            name: "Sample app");

        var authority = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        _app = SampleApp.Build(
            [
                "--Oidc:Authority=" + authority,
                "--Oidc:AllowHttpAuthority=true",
                "--Oidc:ClientId=" + Client.ClientId,
                "--Oidc:ClientSecret=" + Client.Secret,
            ],
            builder =>
            {
                builder.Logging.ClearProviders();
                var certificate = SelfSignedCertificate();
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
            });
        await _app.StartAsync();
        var port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = [.. Chromium.Arguments, $"--host-resolver-rules=MAP {Host}:443 127.0.0.1:{port}"],
        });
    }

    /// <summary>A fresh browser context: someone signed in nowhere. Skips the test when Chromium is missing.</summary>
    public async Task<BrowserSession> OpenAsync()
    {
        Chromium.EnsureInstalled();
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1000, Height = 700 },
            Locale = "en-US",
            IgnoreHTTPSErrors = true,
        });
        context.SetDefaultTimeout(30_000);
        return await BrowserSession.OpenAsync(context);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + Host, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
