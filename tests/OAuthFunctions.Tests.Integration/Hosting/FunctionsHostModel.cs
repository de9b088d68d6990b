using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace OAuthFunctions.Tests.Integration.Hosting;

/// <summary>
/// What the Functions host does to a request before the worker's code sees it, reproduced step by step from the
/// host's own sources, because the host itself cannot run in this test process:
/// <list type="number">
/// <item>The HTTP trigger builds the invocation's binding data (azure-webjobs-sdk-extensions,
/// <c>HttpTriggerAttributeBindingProvider.GetRequestBindingData</c>): top-level properties of a JSON body first, then every
/// query parameter, and only then <c>Query</c> and <c>Headers</c> — each added only if no entry of that name exists,
/// in a dictionary that ignores case. The worker receives it as <c>BindingContext.BindingData</c>, again ignoring case
/// (azure-functions-dotnet-worker, <c>GrpcFunctionBindingsFeature</c>).</item>
/// <item>The host forwards the request to the worker with YARP's default transformer (azure-functions-host,
/// <c>DefaultHttpProxyService</c>): <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are <em>set</em> (not appended)
/// to the host's own view of the connection, and <c>Host</c> becomes the worker's local address.</item>
/// <item>The worker's ASP.NET Core integration runs <c>UseForwardedHeaders</c> with <c>ForwardedHeaders.All</c>,
/// trusting only loopback, where the host connects from (azure-functions-dotnet-worker,
/// <c>FunctionsHostBuilderExtensions.ConfigureAspNetCoreIntegration</c>).</item>
/// </list>
/// </summary>
internal static class FunctionsHostModel
{
    private const int WorkerPort = 52_431;

    /// <summary>A GET straight from 192.0.2.10 to http://127.0.0.1:5555, as Kestrel hands it over with no proxy between.</summary>
    public static HttpRequest DirectRequest()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 5555);
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
        context.RequestServices = new ServiceCollection().BuildServiceProvider();
        return context.Request;
    }

    /// <summary>The request as the Functions host received it from the client (or from the Azure front end).</summary>
    public static HttpRequest HostRequest(string method, string pathAndQuery, string clientAddress, string scheme, string host, string? body = null, string? contentType = null)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = method;
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        request.Scheme = scheme;
        request.Host = new HostString(host);
        context.Connection.RemoteIpAddress = IPAddress.Parse(clientAddress);
        context.Connection.RemotePort = 50_123;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
            request.ContentType = contentType;
        }

        return request;
    }

    /// <summary>The binding data the worker receives for <paramref name="hostRequest"/> (step 1).</summary>
    public static Dictionary<string, object?> BindingData(HttpRequest hostRequest, string? body)
    {
        var data = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (hostRequest.ContentLength > 0 && body is not null && IsJson(body))
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                foreach (var property in json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Array))
                {
                    // Objects travel to the worker as JSON text, everything else as a string.
                    data[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }
            }
            catch (JsonException)
            {
                // The host ignores a body that only looks like JSON.
            }
        }

        foreach (var (name, values) in hostRequest.Query)
        {
            if (!string.Equals(name, "code", StringComparison.OrdinalIgnoreCase))
            {
                data[name] = values[^1];
            }
        }

        data.TryAdd("Query", JsonSerializer.Serialize(hostRequest.Query.ToDictionary(p => p.Key, p => p.Value[^1])));
        data.TryAdd("Headers", JsonSerializer.Serialize(hostRequest.Headers.ToDictionary(h => h.Key, h => h.Value.ToString())));
        return data;
    }

    /// <summary>An invocation whose trigger binding data is <paramref name="bindingData"/>.</summary>
    public static FunctionContext Invocation(IReadOnlyDictionary<string, object?> bindingData)
    {
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(bindingData);
        var invocation = new Mock<FunctionContext>();
        invocation.SetupGet(c => c.BindingContext).Returns(binding.Object);
        return invocation.Object;
    }

    /// <summary>The request the worker's function receives once the host has forwarded it (steps 2 and 3).</summary>
    public static async Task<HttpRequest> WorkerRequestAsync(HttpRequest hostRequest)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = hostRequest.Method;
        request.Path = hostRequest.Path;
        request.QueryString = hostRequest.QueryString;
        request.Scheme = "http";
        request.Host = new HostString("localhost", WorkerPort);
        foreach (var (name, value) in hostRequest.Headers)
        {
            if (name is not ("Host" or "X-Forwarded-For" or "X-Forwarded-Proto" or "X-Forwarded-Host" or "X-Forwarded-Prefix" or "Forwarded"))
            {
                request.Headers[name] = value;
            }
        }

        // YARP's HttpTransformer.Default: ForwardedTransformActions.Set for each X-Forwarded header.
        request.Headers["X-Forwarded-For"] = hostRequest.HttpContext.Connection.RemoteIpAddress!.ToString();
        request.Headers["X-Forwarded-Proto"] = hostRequest.Scheme;
        request.Headers["X-Forwarded-Host"] = hostRequest.Host.Value;
        if (hostRequest.Body is MemoryStream body)
        {
            request.Body = new MemoryStream(body.ToArray());
            request.ContentLength = hostRequest.ContentLength;
        }

        context.Connection.RemoteIpAddress = IPAddress.IPv6Loopback;
        context.Connection.RemotePort = 40_000;
        context.RequestServices = new ServiceCollection().BuildServiceProvider();

        var forwarded = new ForwardedHeadersMiddleware(
            _ => Task.CompletedTask,
            NullLoggerFactory.Instance,
            Options.Create(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.All }));
        await forwarded.Invoke(context);
        return request;
    }

    private static bool IsJson(string input)
    {
        var trimmed = input.Trim();
        return (trimmed.StartsWith('{') && trimmed.EndsWith('}')) || (trimmed.StartsWith('[') && trimmed.EndsWith(']'));
    }
}
