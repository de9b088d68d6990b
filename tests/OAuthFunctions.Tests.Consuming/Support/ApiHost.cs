using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OAuthFunctions.ResourceServer;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Consuming.Support;

/// <summary>
/// A small API in the test process on a free loopback port, protected by <c>AddOAuthFunctionsIntrospection</c> against
/// a local host: <c>/read</c> needs the scope "read", <c>/write</c> "write", <c>/open</c> nothing.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, HttpClient http, CapturingLoggerProvider log)
    {
        _app = app;
        Http = http;
        Log = log;
    }

    public HttpClient Http { get; }

    public CapturingLoggerProvider Log { get; }

    public static async Task<ApiHost> StartAsync(OAuthTestServer server, TestClient api, Action<OAuthFunctionsIntrospectionOptions>? configure = null, TimeProvider? time = null)
    {
        var log = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddAuthentication().AddOAuthFunctionsIntrospection(options =>
        {
            options.Authority = server.BaseAddress.ToString().TrimEnd('/');
            options.ClientId = api.ClientId;
            options.ClientSecret = api.Secret;
            configure?.Invoke(options);
        });
        builder.Services.AddAuthorization(options =>
        {
            options.AddPolicy("read", policy => policy.RequireScope("read"));
            options.AddPolicy("write", policy => policy.RequireScope("write"));
        });

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/read", Describe).RequireAuthorization("read");
        app.MapGet("/write", Describe).RequireAuthorization("write");
        app.MapGet("/open", () => "open");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiHost(app, new HttpClient { BaseAddress = new Uri(address) }, log);
    }

    /// <summary>GET <paramref name="path"/> with the given Authorization header values (none when empty).</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, params string[] authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var value in authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", value);
        }

        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetWithTokenAsync(string path, string token) => GetAsync(path, "Bearer " + token);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Log.Dispose();
    }

    private static object Describe(ClaimsPrincipal user) => new
    {
        name = user.Identity?.Name,
        sub = user.FindFirstValue(OAuthFunctionsClaimTypes.Subject),
        client_id = user.FindFirstValue(OAuthFunctionsClaimTypes.ClientId),
        scopes = user.FindAll(OAuthFunctionsClaimTypes.Scope).Select(c => c.Value).ToArray(),
    };
}

/// <summary>What the RFC 6750 answers look like to a test.</summary>
internal static class Challenge
{
    public static AuthenticationHeaderValue Bearer(HttpResponseMessage response) =>
        Assert.Single(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

    public static string? Parameter(HttpResponseMessage response, string name)
    {
        var parameters = Bearer(response).Parameter ?? string.Empty;
        var marker = name + "=\"";
        var start = parameters.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        return parameters[start..parameters.IndexOf('"', start)];
    }
}
