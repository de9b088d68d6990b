using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using OAuthFunctions.Core.Endpoints.Management;
using OAuthFunctions.Hosting;
using OAuthFunctions.Http;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// Under the Functions host the worker receives a forwarded copy of the request (Host: the worker's own local
/// port); the client's host, scheme and address come from the headers the host saw, in the invocation's binding
/// data. The Functions host cannot run here, so its invocation context is a Moq stand-in.
/// </summary>
public sealed class FunctionsHostRequestTests
{
    [Fact]
    public void Host_and_scheme_come_from_the_headers_the_functions_host_saw()
    {
        var request = WorkerRequest();
        var original = ForwardedRequest.From(request, Invocation(new() { ["Host"] = "login.example.com", ["X-Forwarded-Proto"] = "https" }));
        Assert.Equal("login.example.com", original.Host);
        Assert.True(original.IsHttps);
    }

    [Fact]
    public void Without_a_functions_host_the_request_is_the_original()
    {
        var original = ForwardedRequest.From(WorkerRequest(), context: null);
        Assert.Equal("127.0.0.1:5555", original.Host);
        Assert.False(original.IsHttps);
    }

    [Fact]
    public void Arr_ssl_header_means_https()
    {
        var original = ForwardedRequest.From(WorkerRequest(), Invocation(new() { ["X-ARR-SSL"] = "2048|256|CN=…" }));
        Assert.True(original.IsHttps);
    }

    [Theory]
    [InlineData("203.0.113.9:51234", "203.0.113.9")]
    [InlineData("198.51.100.1, 203.0.113.9:51234", "203.0.113.9")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("2001:db8::2", "2001:db8::2")]
    public void Client_address_is_the_last_forwarded_entry_without_its_port(string forwardedFor, string expected)
    {
        var original = ForwardedRequest.From(WorkerRequest(), Invocation(new() { ["X-Forwarded-For"] = forwardedFor }));
        Assert.Equal(expected, original.ClientAddress);
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
        var request = WorkerRequest();
        request.Path = "/.well-known/oauth-authorization-server";

        var result = await runner.RunAsync(
            provider.GetRequiredService<MetadataEndpoint>(),
            request,
            Invocation(new() { ["Host"] = "login.example.com", ["X-Forwarded-Proto"] = "https" }));

        using var body = new MemoryStream();
        request.HttpContext.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(request.HttpContext, new RouteData(), new ActionDescriptor()));
        using var json = JsonDocument.Parse(body.ToArray());
        Assert.Equal("https://login.example.com", json.RootElement.GetProperty("issuer").GetString());
        Assert.Equal("https://login.example.com/oauth2/access_token", json.RootElement.GetProperty("token_endpoint").GetString());
    }

    /// <summary>The request as the worker receives it from the host: plain HTTP to the worker's local port.</summary>
    private static HttpRequest WorkerRequest()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 5555);
        context.RequestServices = new ServiceCollection().BuildServiceProvider();
        return context.Request;
    }

    /// <summary>An invocation whose trigger binding data carries the headers the Functions host received.</summary>
    private static FunctionContext Invocation(Dictionary<string, string> headers)
    {
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(new Dictionary<string, object?> { ["Headers"] = JsonSerializer.Serialize(headers) });
        var invocation = new Mock<FunctionContext>();
        invocation.SetupGet(c => c.BindingContext).Returns(binding.Object);
        return invocation.Object;
    }
}
