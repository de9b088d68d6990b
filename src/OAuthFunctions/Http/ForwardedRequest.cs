using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace OAuthFunctions.Http;

/// <summary>
/// What the client's request looked like before it reached this process. Under <c>func start</c> and in Azure the
/// Functions host receives the request and forwards it to the worker over local HTTP: the worker's
/// <see cref="HttpRequest"/> then carries the worker's own host name and port, while the headers the host saw
/// (the public <c>Host</c>, <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> set by the Azure front end) travel in
/// the invocation's binding data. On the local host there is no such hop and the request itself is the original.
/// </summary>
internal sealed class ForwardedRequest
{
    private readonly HttpRequest _request;
    private readonly Dictionary<string, string> _original;

    private ForwardedRequest(HttpRequest request, Dictionary<string, string> original)
    {
        _request = request;
        _original = original;
    }

    public static ForwardedRequest From(HttpRequest request, FunctionContext? context) => new(request, OriginalHeaders(context));

    /// <summary>The host name (and port) the client used.</summary>
    public string Host => Header("Host") is { Length: > 0 } host ? host : _request.Host.HasValue ? _request.Host.Value! : "localhost";

    /// <summary>Whether the client used HTTPS: the scheme, or the front end's X-Forwarded-Proto or X-ARR-SSL.</summary>
    public bool IsHttps =>
        _request.IsHttps
        || string.Equals(Header("X-Forwarded-Proto")?.Split(',')[0].Trim(), "https", StringComparison.OrdinalIgnoreCase)
        || !string.IsNullOrEmpty(Header("X-ARR-SSL"));

    /// <summary>
    /// The client's address as the platform saw it: the last X-Forwarded-For entry (the one the nearest proxy
    /// added, which a client cannot forge), without the port App Service appends; else the connection's address.
    /// </summary>
    public string? ClientAddress
    {
        get
        {
            var last = Header("X-Forwarded-For")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            if (last is not null)
            {
                return IPAddress.TryParse(last, out var address) ? address.ToString()
                    : IPEndPoint.TryParse(last, out var endpoint) ? endpoint.Address.ToString()
                    : last;
            }

            return _request.HttpContext.Connection.RemoteIpAddress?.ToString();
        }
    }

    /// <summary>A header as the original request carried it.</summary>
    public string? Header(string name) =>
        _original.TryGetValue(name, out var value) ? value
        : _request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString()
        : null;

    private static Dictionary<string, string> OriginalHeaders(FunctionContext? context)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (context?.BindingContext.BindingData.TryGetValue("Headers", out var raw) != true || raw is not string json)
        {
            return headers;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var header in document.RootElement.EnumerateObject())
            {
                headers[header.Name] = header.Value.ValueKind switch
                {
                    JsonValueKind.String => header.Value.GetString()!,
                    JsonValueKind.Array => string.Join(',', header.Value.EnumerateArray().Select(v => v.ToString())),
                    _ => header.Value.ToString(),
                };
            }
        }
        catch (JsonException)
        {
            headers.Clear();
        }

        return headers;
    }
}
