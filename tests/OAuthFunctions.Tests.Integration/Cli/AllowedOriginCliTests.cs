using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Storage.Stores;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Cli;

/// <summary>
/// <c>oauthctl clients add|update … --allowed-origin</c> (docs/BEHAVIOUR.md §12): origins are stored as browsers send
/// them, refused when no browser could send them, and kept in the origin index that preflights read.
/// </summary>
public sealed class AllowedOriginCliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly OAuthTestServer _server = fixture.Server;

    private TableClientStore Store => _server.Services.GetRequiredService<TableClientStore>();

    [Fact]
    public async Task Allowed_origins_are_stored_serialized_and_shown()
    {
        var host = Host();
        var added = await AddAsync("--allowed-origin", $"HTTPS://{host}:443", "--allowed-origin", "http://localhost:5173", "--allowed-origin", $"https://{host}");

        Assert.Equal(0, added.ExitCode);
        var shown = await RunAsync("clients", "show", added.Json.Str("client_id"), "--json");
        Assert.Equal([$"https://{host}", "http://localhost:5173"], shown.Json.GetProperty("allowed_origins").EnumerateArray().Select(o => o.GetString()));
        Assert.True(await Store.IsOriginAllowedAsync($"https://{host}", CancellationToken.None));
    }

    [Theory]
    [InlineData("null", "opaque origin null")]
    [InlineData("https://app.example/", "path")]
    [InlineData("https://app.example/callback", "path")]
    [InlineData("https://app.example?x", "query")]
    [InlineData("https://app.example#x", "fragment")]
    [InlineData("https://me@app.example", "user name")]
    [InlineData("http://app.example", "--allow-insecure-redirect")]
    public async Task An_origin_no_browser_sends_is_refused_with_exit_code_2_and_nothing_written(string origin, string rule)
    {
        var name = "refused-" + Guid.NewGuid().ToString("N")[..8];

        var result = await RunAsync("clients", "add", "--name", name, "--url", "https://app.example", "--redirect-uri", "https://app.example/cb", "--type", "public", "--allowed-origin", origin, "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(rule, Assert.Single(result.Stderr.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout.Trim());
        Assert.DoesNotContain(name, (await RunAsync("clients", "list", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_adds_and_removes_origins_and_keeps_the_index()
    {
        var (first, second) = ($"https://{Host()}", $"https://{Host()}");
        var clientId = (await AddAsync("--allowed-origin", first)).Json.Str("client_id");

        var addedSecond = await RunAsync("clients", "update", clientId, "--allowed-origin", second, "--json");
        var removedFirst = await RunAsync("clients", "update", clientId, "--remove-allowed-origin", first, "--json");

        Assert.Equal(0, addedSecond.ExitCode);
        Assert.Equal([first, second], addedSecond.Json.GetProperty("allowed_origins").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal([second], removedFirst.Json.GetProperty("allowed_origins").EnumerateArray().Select(o => o.GetString()));
        Assert.False(await Store.IsOriginAllowedAsync(first, CancellationToken.None));
        Assert.True(await Store.IsOriginAllowedAsync(second, CancellationToken.None));
    }

    [Fact]
    public async Task Update_refuses_an_invalid_origin_and_changes_nothing()
    {
        var origin = $"https://{Host()}";
        var clientId = (await AddAsync("--allowed-origin", origin)).Json.Str("client_id");

        var refused = await RunAsync("clients", "update", clientId, "--allowed-origin", "null", "--remove-allowed-origin", origin, "--json");

        Assert.Equal(2, refused.ExitCode);
        Assert.True(await Store.IsOriginAllowedAsync(origin, CancellationToken.None));
    }

    [Fact]
    public async Task An_origin_two_clients_allow_stays_indexed_until_both_let_it_go()
    {
        var origin = $"https://{Host()}";
        var first = (await AddAsync("--allowed-origin", origin)).Json.Str("client_id");
        var second = (await AddAsync("--allowed-origin", origin)).Json.Str("client_id");

        Assert.Equal(0, (await RunAsync("clients", "remove", first, "--settle", "0", "--json")).ExitCode);
        Assert.True(await Store.IsOriginAllowedAsync(origin, CancellationToken.None));

        Assert.Equal(0, (await RunAsync("clients", "update", second, "--remove-allowed-origin", origin, "--json")).ExitCode);
        Assert.False(await Store.IsOriginAllowedAsync(origin, CancellationToken.None));
    }

    [Fact]
    public async Task A_client_added_with_an_origin_gets_cors_from_the_server()
    {
        var origin = $"https://{Host()}";
        await AddAsync("--allowed-origin", origin);
        using var http = _server.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/oauth2/access_token");
        preflight.Headers.TryAddWithoutValidation("Origin", origin);
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");

        var response = await http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task The_index_does_not_show_up_as_clients()
    {
        await AddAsync("--allowed-origin", $"https://{Host()}");

        var listed = await RunAsync("clients", "list", "--json");

        Assert.All(listed.Json.EnumerateArray(), client => Assert.Equal("public", client.Str("type")));
        Assert.DoesNotContain("\"origin\"", listed.Stdout, StringComparison.Ordinal);
    }

    private static string Host() => "spa-" + Guid.NewGuid().ToString("N")[..12] + ".example";

    private Task<InProcessCli> AddAsync(params string[] origins) =>
        RunAsync(["clients", "add", "--name", "Browser app", "--url", "https://app.example", "--redirect-uri", "https://app.example/cb", "--type", "public", .. origins, "--json"]);

    private Task<InProcessCli> RunAsync(params string[] args) => InProcessCli.RunAsync(_server, args);
}
