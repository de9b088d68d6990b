using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Endpoints.Management;
using OAuthFunctions.Hosting;
using OAuthFunctions.Http;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// Who the client is (<see cref="ClientConnection"/>): under the Functions host the worker's own forwarded-headers step
/// has already applied the host's view of the connection; behind other proxies <c>OAuth__ForwardedHops</c> says how many
/// X-Forwarded-* entries, from the right, to believe. The Functions host cannot run here; <see cref="FunctionsHostModel"/>
/// reproduces what it does.
/// </summary>
public sealed class FunctionsHostRequestTests
{
    [Fact]
    public async Task Host_scheme_and_address_are_the_functions_host_view_of_the_client()
    {
        var worker = await FunctionsHostModel.WorkerRequestAsync(
            FunctionsHostModel.HostRequest("GET", "/oauth2/login", "198.51.100.7", "https", "login.example.com"));

        var client = ClientConnection.Of(worker, trustedHops: 0);

        Assert.Equal("login.example.com", client.Host);
        Assert.True(client.IsHttps);
        Assert.Equal("198.51.100.7", client.Address);
    }

    [Fact]
    public async Task Forwarded_headers_a_client_sent_to_the_functions_host_do_not_reach_the_worker()
    {
        var host = FunctionsHostModel.HostRequest("GET", "/oauth2/login", "198.51.100.7", "http", "login.example.com");
        host.Headers["X-Forwarded-For"] = "203.0.113.66";
        host.Headers["X-Forwarded-Proto"] = "https";
        host.Headers["X-Forwarded-Host"] = "evil.example";

        var worker = await FunctionsHostModel.WorkerRequestAsync(host);

        // The host set (not appended) each header, and the worker consumed what it set.
        Assert.False(worker.Headers.ContainsKey("X-Forwarded-For"));
        var client = ClientConnection.Of(worker, trustedHops: 1);
        Assert.Equal("198.51.100.7", client.Address);
        Assert.False(client.IsHttps);
        Assert.Equal("login.example.com", client.Host);
    }

    [Fact]
    public void Without_a_proxy_the_connection_is_the_client()
    {
        var client = ClientConnection.Of(FunctionsHostModel.DirectRequest(), trustedHops: 0);

        Assert.Equal("127.0.0.1:5555", client.Host);
        Assert.False(client.IsHttps);
        Assert.Equal("192.0.2.10", client.Address);
    }

    [Fact]
    public void Zero_hops_believes_no_forwarded_header()
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-For"] = "203.0.113.66";
        request.Headers["X-Forwarded-Proto"] = "https";
        request.Headers["X-Forwarded-Host"] = "evil.example";

        var client = ClientConnection.Of(request, trustedHops: 0);

        Assert.Equal("192.0.2.10", client.Address);
        Assert.False(client.IsHttps);
        Assert.Equal("127.0.0.1:5555", client.Host);
    }

    [Fact]
    public void Arr_ssl_header_is_not_a_scheme()
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-ARR-SSL"] = "2048|256|CN=…";

        Assert.False(ClientConnection.Of(request, trustedHops: 1).IsHttps);
    }

    [Theory]
    [InlineData("203.0.113.9:51234", 1, "203.0.113.9")]
    [InlineData("198.51.100.1, 203.0.113.9:51234", 1, "203.0.113.9")]
    [InlineData("198.51.100.1, 203.0.113.9", 2, "198.51.100.1")]
    [InlineData("forged, 198.51.100.1, 203.0.113.9", 2, "198.51.100.1")]
    [InlineData("198.51.100.1", 3, "198.51.100.1")]
    [InlineData("[2001:db8::1]:443", 1, "2001:db8::1")]
    [InlineData("2001:DB8:0:0::2", 1, "2001:db8::2")]
    public void Client_address_is_the_entry_the_outermost_trusted_proxy_wrote(string forwardedFor, int hops, string expected)
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-For"] = forwardedFor;

        Assert.Equal(expected, ClientConnection.Of(request, hops).Address);
    }

    [Fact]
    public void Forwarded_entries_on_several_header_lines_form_one_list()
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-For"] = new(["198.51.100.1", "203.0.113.9"]);

        Assert.Equal("198.51.100.1", ClientConnection.Of(request, trustedHops: 2).Address);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    public void An_entry_that_is_no_address_leaves_the_connection_address(string forwardedFor)
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-For"] = forwardedFor;

        Assert.Equal("192.0.2.10", ClientConnection.Of(request, trustedHops: 1).Address);
    }

    [Theory]
    [InlineData("login.example.com", "login.example.com")]
    [InlineData("login.example.com:8443", "login.example.com:8443")]
    [InlineData("evil.example/path", "127.0.0.1:5555")]
    [InlineData("user@evil.example", "127.0.0.1:5555")]
    public void A_trusted_proxy_sets_the_host_only_to_a_host(string forwardedHost, string expected)
    {
        var request = FunctionsHostModel.DirectRequest();
        request.Headers["X-Forwarded-Host"] = forwardedHost;
        request.Headers["X-Forwarded-Proto"] = "https";

        var client = ClientConnection.Of(request, trustedHops: 1);

        Assert.Equal(expected, client.Host);
        Assert.True(client.IsHttps);
    }

    [Fact]
    public async Task Metadata_served_through_the_functions_host_names_the_public_issuer()
    {
        var services = new ServiceCollection().AddLogging();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OAuthStorage"] = "UseDevelopmentStorage=true" })
            .Build();
        services.AddOAuthServer(configuration);
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<EndpointRunner>();
        var request = await FunctionsHostModel.WorkerRequestAsync(
            FunctionsHostModel.HostRequest("GET", "/.well-known/oauth-authorization-server", "198.51.100.7", "https", "login.example.com"));

        var result = await runner.RunAsync(provider.GetRequiredService<MetadataEndpoint>(), request, context: null);

        using var body = new MemoryStream();
        request.HttpContext.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(request.HttpContext, new RouteData(), new ActionDescriptor()));
        using var json = JsonDocument.Parse(body.ToArray());
        Assert.Equal("https://login.example.com", json.RootElement.GetProperty("issuer").GetString());
        Assert.Equal("https://login.example.com/oauth2/access_token", json.RootElement.GetProperty("token_endpoint").GetString());
    }
}
