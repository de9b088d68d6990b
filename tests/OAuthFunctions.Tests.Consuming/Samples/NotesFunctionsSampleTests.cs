using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NotesFunctions;
using OAuthFunctions.ResourceServer;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Consuming.Support;

namespace OAuthFunctions.Tests.Consuming.Samples;

/// <summary>
/// samples/NotesFunctions. The Functions host needs Azure Functions Core Tools, which this machine does not have, so
/// the sample's function class is called directly, with the services its Program registers and a real
/// <see cref="HttpContext"/>, as the ASP.NET Core integration would call it; its validator does real introspection
/// against the local host.
/// </summary>
public sealed class NotesFunctionsSampleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    [Fact]
    public async Task A_token_with_the_scope_reads_the_notes()
    {
        await using var services = await ServicesAsync(_server);
        var (token, _, username) = await _server.UserTokensAsync("read");

        var (result, _) = await RunAsync(services, "Bearer " + token);

        var ok = Assert.IsType<OkObjectResult>(result);
        var body = JsonSerializer.SerializeToElement(ok.Value);
        Assert.Equal(username, body.GetProperty("owner").GetString());
        Assert.Equal(["read"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData(null, 401, null)]
    [InlineData("Bearer not-a-token", 401, "invalid_token")]
    [InlineData("Bearer", 401, "invalid_request")]
    public async Task A_request_without_a_valid_token_gets_the_rfc_6750_challenge(string? authorization, int status, string? error)
    {
        await using var services = await ServicesAsync(_server);

        var (result, response) = await RunAsync(services, authorization);

        Assert.Equal(status, Assert.IsType<StatusCodeResult>(result).StatusCode);
        var challenge = response.Headers.WWWAuthenticate.ToString();
        Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
        Assert.Equal(error is not null, challenge.Contains($"error=\"{error}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_without_the_scope_is_403_insufficient_scope()
    {
        await using var services = await ServicesAsync(_server);
        var (token, _, _) = await _server.UserTokensAsync("write");

        var (result, response) = await RunAsync(services, "Bearer " + token);

        Assert.Equal(403, Assert.IsType<StatusCodeResult>(result).StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("scope=\"read\"", response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_server_down_the_function_answers_503_with_retry_after()
    {
        var server = await OAuthTestServer.StartAsync();
        await using var services = await ServicesAsync(server);
        var (token, _) = await server.ServiceTokenAsync("read");
        await server.DisposeAsync();

        var (result, response) = await RunAsync(services, "Bearer " + token);

        Assert.Equal(503, Assert.IsType<StatusCodeResult>(result).StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter.ToString());
    }

    /// <summary>The services the sample's Program registers, with the settings it reads from its app settings.</summary>
    internal static async Task<ServiceProvider> ServicesAsync(OAuthTestServer server)
    {
        var api = await server.ApiClientAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OAuthFunctions:Authority"] = server.BaseAddress.ToString().TrimEnd('/'),
            ["OAuthFunctions:ClientId"] = api.ClientId,
            ["OAuthFunctions:ClientSecret"] = api.Secret,
        }).Build();
        return new ServiceCollection().AddLogging().AddNotes(configuration).BuildServiceProvider();
    }

    private static async Task<(IActionResult Result, HttpResponse Response)> RunAsync(ServiceProvider services, string? authorization)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/api/notes";
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        var function = new NotesFunction(services.GetRequiredService<BearerTokenValidator>());
        return (await function.Run(context.Request), context.Response);
    }
}
