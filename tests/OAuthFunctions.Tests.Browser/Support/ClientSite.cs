using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OAuthFunctions.Tests.Browser.Support;

/// <summary>
/// The client application's web site, <c>https://client.example</c>, where the browser lands after the consent page.
/// Chromium resolves client.example to this loopback HTTPS server (a self-signed certificate made per run), so the
/// browser really follows the server's redirect. Playwright routing cannot stand in for it: a route handler is only
/// called for the first URL of a navigation, never for a redirect's target (Playwright's documented behaviour), and
/// the redirect URI is always the target of <c>/oauth2/redirect</c>'s 302.
/// </summary>
public sealed class ClientSite : IAsyncDisposable
{
    public const string Host = "client.example";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ClientVisit> _visits;

    private ClientSite(WebApplication app, ConcurrentQueue<ClientVisit> visits, int port)
    {
        _app = app;
        _visits = visits;
        Port = port;
    }

    /// <summary>The loopback port that stands for client.example:443.</summary>
    public int Port { get; }

    /// <summary>Every request the browser made to the site, in order.</summary>
    public IReadOnlyCollection<ClientVisit> Visits => _visits;

    /// <summary>The Chromium switch that sends client.example:443 to this server.</summary>
    public string HostResolverRule => $"--host-resolver-rules=MAP {Host}:443 127.0.0.1:{Port}";

    public static async Task<ClientSite> StartAsync()
    {
        var visits = new ConcurrentQueue<ClientVisit>();
        var certificate = SelfSignedCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.Run(async context =>
        {
            var url = new Uri($"https://{Host}{context.Request.Path}{context.Request.QueryString}");
            visits.Enqueue(new ClientVisit(url, context.Request.Headers.Referer.ToString()));
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<!DOCTYPE html><html lang=\"en\"><title>Photo Printer</title><p>Back at the client.</p></html>");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ClientSite(app, visits, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + Host, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // A PKCS#12 round trip gives Kestrel a key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
