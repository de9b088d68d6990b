using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Functions;
using OAuthFunctions.LocalHost;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// The contract with the Azure Functions host is the functions.metadata the build generates (names, routes,
/// methods, bindings). It must list the functions of docs/BEHAVIOUR.md §1, and the local host must map exactly its routes.
/// Every trigger takes the common methods, so that a method its endpoint does not serve reaches the endpoint runner
/// and gets the endpoint's own error with <c>Allow</c>; the methods served are the endpoint's, as §1 lists them.
/// </summary>
public sealed class FunctionsMetadataTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>docs/BEHAVIOUR.md §1: function → (route, methods served). The purge timer has no route.</summary>
    private static readonly Dictionary<string, (string Route, string[] Methods)> Spec = new()
    {
        ["capture"] = ("oauth2/authorize", ["get", "post"]),
        ["authorize"] = ("oauth2/authorize/confirm", ["get", "post"]),
        ["redirect"] = ("oauth2/redirect", ["get"]),
        ["access_token"] = ("oauth2/access_token", ["post"]),
        ["login"] = ("oauth2/login", ["get", "post"]),
        ["logout"] = ("oauth2/logout", ["post"]),
        ["revoke"] = ("oauth2/revoke", ["post"]),
        ["introspect"] = ("oauth2/introspect", ["post"]),
        ["metadata"] = (".well-known/oauth-authorization-server", ["get"]),
        ["openid_configuration"] = (".well-known/openid-configuration", ["get"]),
        ["jwks"] = (".well-known/jwks.json", ["get"]),
        ["userinfo"] = ("oauth2/userinfo", ["get", "post"]),
        ["end_session"] = ("oauth2/end_session", ["get", "post"]),
    };

    /// <summary>What every HTTP trigger lists; not HEAD.</summary>
    private static readonly string[] TriggerMethods = ["delete", "get", "patch", "post", "put"];

    /// <summary>The functions whose endpoints answer cross-origin requests: their triggers list OPTIONS too, for preflights.</summary>
    private static readonly string[] CorsFunctions = ["access_token", "revoke", "metadata", "openid_configuration", "jwks"];

    [Fact]
    public void Metadata_lists_exactly_the_functions_of_the_spec()
    {
        var functions = Metadata().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(Spec.Keys.Append("purge").Order(StringComparer.Ordinal), functions);
    }

    [Fact]
    public void Every_http_function_has_the_spec_route_the_common_methods_and_anonymous_access()
    {
        foreach (var (name, trigger) in HttpTriggers())
        {
            Assert.Equal(Spec[name].Route, trigger.GetProperty("route").GetString());
            string[] expected = CorsFunctions.Contains(name) ? [.. TriggerMethods.Append("options").Order(StringComparer.Ordinal)] : TriggerMethods;
            Assert.Equal(expected, Methods(trigger));
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        }
    }

    [Fact]
    public void Every_endpoint_serves_the_methods_of_the_spec()
    {
        foreach (var function in FunctionCatalog.HttpFunctions(typeof(MetadataFunction).Assembly))
        {
            var endpointType = function.Class.GetConstructors().Single().GetParameters().Single(p => typeof(IOAuthEndpoint).IsAssignableFrom(p.ParameterType)).ParameterType;
            var endpoint = (IOAuthEndpoint)fixture.Server.Services.GetRequiredService(endpointType);
            Assert.Equal(Spec[function.Name].Methods, endpoint.Methods.Select(m => m.ToLowerInvariant()).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Purge_is_a_timer_on_the_purge_schedule_setting_that_does_not_run_on_startup()
    {
        var purge = Metadata().Single(f => f.GetProperty("name").GetString() == "purge");
        var trigger = purge.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "timerTrigger");
        Assert.Equal("%OAuth:PurgeSchedule%", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.GetProperty("runOnStartup").GetBoolean());
    }

    [Fact]
    public void Local_host_maps_exactly_the_routes_and_methods_of_the_metadata()
    {
        var fromMetadata = HttpTriggers().Select(t => $"{t.Name} {t.Trigger.GetProperty("route").GetString()} {string.Join(',', Methods(t.Trigger))}");
        var fromLocalHost = FunctionCatalog.HttpFunctions(typeof(MetadataFunction).Assembly)
            .Select(f => $"{f.Name} {f.Route} {string.Join(',', f.Methods.Select(m => m.ToLowerInvariant()).Order(StringComparer.Ordinal))}");
        Assert.Equal(fromMetadata.Order(StringComparer.Ordinal), fromLocalHost.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Local_host_runs_the_same_timers_with_the_setting_resolved()
    {
        var timer = Assert.Single(FunctionCatalog.TimerFunctions(typeof(MetadataFunction).Assembly));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OAuth:PurgeSchedule"] = "0 */5 * * * *" })
            .Build();
        var schedule = TimerService.ResolveSchedule(timer, configuration);
        var next = schedule.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 1, 0, DateTimeKind.Utc))!.Value;
        Assert.Equal(new DateTime(2026, 1, 1, 0, 5, 0, DateTimeKind.Utc), next);
    }

    [Fact]
    public async Task Local_host_answers_every_metadata_route_and_method_itself()
    {
        using var http = fixture.Server.CreateClient();
        foreach (var (name, trigger) in HttpTriggers())
        {
            foreach (var method in Methods(trigger))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), "/" + trigger.GetProperty("route").GetString());
                var response = await http.SendAsync(request);
                Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
                OAuthAssert.NoStore(response);
                if (Spec[name].Methods.Contains(method))
                {
                    Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
                }
                else
                {
                    // The endpoint's own answer: a body, and the methods it serves.
                    Assert.True(response.Content.Headers.ContentLength > 0, $"{method} {name}: empty body");
                    Assert.Equal(Spec[name].Methods.Select(m => m.ToUpperInvariant()), response.Content.Headers.Allow);
                }
            }
        }
    }

    [Theory]
    [InlineData("OPTIONS", "/oauth2/revoke")]
    [InlineData("HEAD", "/oauth2/access_token")]
    [InlineData("GET", "/no/such/route")]
    public async Task What_no_function_answers_still_carries_no_store(string method, string path)
    {
        using var http = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await http.SendAsync(request);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        OAuthAssert.NoStore(response);
    }

    [Fact]
    public void Host_json_sets_an_empty_route_prefix()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal(string.Empty, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void Local_settings_run_the_isolated_worker_on_development_storage_with_a_purge_schedule()
    {
        var values = LocalSettings.Read(Path.Combine(RepositoryRoot(), "local.settings.json"));
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["OAuthStorage"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.False(string.IsNullOrEmpty(values["OAuth:PurgeSchedule"]));
    }

    /// <summary>
    /// docs/BEHAVIOUR.md §12: Core Tools' own CORS (<c>Host.CORS</c> in local.settings.json) would answer preflights
    /// for every route before the app sees them; the app decides CORS per client, locally as on Azure.
    /// </summary>
    [Fact]
    public void Local_settings_leave_cors_to_the_app()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "local.settings.json")));
        var host = settings.RootElement.TryGetProperty("Host", out var value) ? value : default;
        Assert.False(host.ValueKind == JsonValueKind.Object && host.EnumerateObject().Any(p => p.Name.StartsWith("CORS", StringComparison.OrdinalIgnoreCase)));
    }

    private static IEnumerable<(string Name, JsonElement Trigger)> HttpTriggers() =>
        from function in Metadata()
        from binding in function.GetProperty("bindings").EnumerateArray()
        where binding.GetProperty("type").GetString() == "httpTrigger"
        select (function.GetProperty("name").GetString()!, binding);

    private static IEnumerable<string> Methods(JsonElement trigger) =>
        trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).Order(StringComparer.Ordinal);

    /// <summary>The functions.metadata the Functions SDK generated when building the Functions project.</summary>
    private static JsonElement[] Metadata()
    {
#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        var path = Path.Combine(RepositoryRoot(), "src", "OAuthFunctions", "bin", Configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; build src/OAuthFunctions first.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string RepositoryRoot() => AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!;
}
