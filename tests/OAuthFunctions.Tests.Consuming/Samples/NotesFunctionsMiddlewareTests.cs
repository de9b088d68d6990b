using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using NotesFunctions;
using OAuthFunctions.LocalHost;
using OAuthFunctions.ResourceServer;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Consuming.Support;

namespace OAuthFunctions.Tests.Consuming.Samples;

/// <summary>
/// samples/NotesFunctions' other way: <see cref="BearerTokenMiddleware"/> in the worker pipeline, before the function.
/// Without Core Tools the middleware is invoked with an invocation context carrying a real <see cref="HttpContext"/>
/// (as the ASP.NET Core integration passes it), and the built app's functions.metadata (what the host reads to find the
/// functions) is checked.
/// </summary>
public sealed class NotesFunctionsMiddlewareTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task The_middleware_lets_a_token_with_the_scope_through_and_the_function_sees_its_user()
    {
        await using var services = await NotesFunctionsSampleTests.ServicesAsync(_server);
        var (token, _, username) = await _server.UserTokensAsync("read");

        var (ran, result, _) = await InvokeAsync(services, "profile", "Bearer " + token);

        Assert.True(ran);
        var body = JsonSerializer.SerializeToElement(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal(username, body.GetProperty("name").GetString());
        Assert.Equal(["read"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData(null, "read", 401, null)]
    [InlineData("Bearer not-a-token", "read", 401, "invalid_token")]
    [InlineData("Bearer", "read", 401, "invalid_request")]
    [InlineData("token", "write", 403, "insufficient_scope")]
    public async Task The_middleware_refuses_before_the_function_runs(string? authorization, string scope, int status, string? error)
    {
        await using var services = await NotesFunctionsSampleTests.ServicesAsync(_server);
        if (authorization == "token")
        {
            authorization = "Bearer " + (await _server.UserTokensAsync(scope)).AccessToken;
        }

        var (ran, _, response) = await InvokeAsync(services, "profile", authorization);

        Assert.False(ran);
        Assert.Equal(status, response.StatusCode);
        var challenge = response.Headers.WWWAuthenticate.ToString();
        Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
        Assert.Equal(error is not null, challenge.Contains($"error=\"{error}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_server_down_the_middleware_answers_503_and_the_function_does_not_run()
    {
        var server = await OAuthTestServer.StartAsync();
        await using var services = await NotesFunctionsSampleTests.ServicesAsync(server);
        var (token, _) = await server.ServiceTokenAsync("read");
        await server.DisposeAsync();

        var (ran, _, response) = await InvokeAsync(services, "profile", "Bearer " + token);

        Assert.False(ran);
        Assert.Equal(503, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task The_middleware_leaves_functions_it_does_not_guard_to_themselves()
    {
        await using var services = await NotesFunctionsSampleTests.ServicesAsync(_server);

        var (ran, _, response) = await InvokeAsync(services, "notes", authorization: null);

        Assert.True(ran);
        Assert.Equal(200, response.StatusCode);
    }

    /// <summary>The Functions host finds functions through functions.metadata, written by the worker SDK at build.</summary>
    [Fact]
    public void The_built_app_declares_both_functions_as_anonymous_http_triggers()
    {
#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var output = Path.Combine(root, "samples", "NotesFunctions", "bin", Configuration, "net10.0");
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));

        var functions = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f);

        Assert.Equal(["notes", "profile"], functions.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, function) in functions)
        {
            Assert.True(File.Exists(Path.Combine(output, function.GetProperty("scriptFile").GetString()!)));
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(name, trigger.GetProperty("route").GetString());
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        }

        Assert.True(File.Exists(Path.Combine(output, "host.json")));
    }

    /// <summary>The middleware, then (if it lets the request through) the function the invocation is for.</summary>
    private static async Task<(bool Ran, IActionResult? Result, HttpResponse Response)> InvokeAsync(ServiceProvider services, string function, string? authorization)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = "GET";
        http.Request.Path = "/api/" + function;
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        var ran = false;
        IActionResult? result = null;
        var middleware = new BearerTokenMiddleware(services.GetRequiredService<BearerTokenValidator>());
        await middleware.Invoke(new TestFunctionContext(function, http), async _ =>
        {
            ran = true;
            result = function == "profile"
                ? ProfileFunction.Run(http.Request)
                : new OkResult();
            await Task.CompletedTask;
        });
        return (ran, result, http.Response);
    }
}
