using Microsoft.Extensions.Primitives;

namespace OAuthFunctions.Core.Http;

/// <summary>
/// What an endpoint needs of an HTTP request, without any host type. The Functions adapter builds it from
/// <c>HttpRequest</c>; tests can build it directly.
/// </summary>
public sealed class OAuthRequest
{
    private static readonly IReadOnlyDictionary<string, StringValues> NoValues = new Dictionary<string, StringValues>();
    private static readonly IReadOnlyDictionary<string, string> NoCookies = new Dictionary<string, string>();

    /// <summary>Upper-case HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Whether the client reached us over HTTPS (the scheme, or <c>X-Forwarded-Proto</c> set by the Azure front end).</summary>
    public bool IsSecure { get; init; }

    /// <summary>The public base URL (issuer), e.g. <c>https://login.example.com</c>, with no trailing slash.</summary>
    public required string Origin { get; init; }

    public IReadOnlyDictionary<string, StringValues> Query { get; init; } = NoValues;

    /// <summary>Form fields when the body is <c>application/x-www-form-urlencoded</c>; otherwise empty.</summary>
    public IReadOnlyDictionary<string, StringValues> Form { get; init; } = NoValues;

    /// <summary>Whether the body was <c>application/x-www-form-urlencoded</c> and parsed.</summary>
    public bool HasFormBody { get; init; }

    /// <summary>Whether the body claimed to be a form but could not be parsed.</summary>
    public bool FormMalformed { get; init; }

    /// <summary>The <c>Authorization</c> header, if any.</summary>
    public string? Authorization { get; init; }

    public IReadOnlyDictionary<string, string> Cookies { get; init; } = NoCookies;

    /// <summary>The client's address as the platform saw it, for throttling.</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>
    /// The <c>Origin</c> header when exactly one was sent: the web page a browser made the request for (Fetch standard
    /// §3.1). Not to be confused with <see cref="Origin"/>, this server's own base URL.
    /// </summary>
    public string? OriginHeader { get; init; }

    /// <summary>The <c>Access-Control-Request-Method</c> header when exactly one was sent (Fetch standard §3.2.2).</summary>
    public string? AccessControlRequestMethod { get; init; }

    /// <summary>
    /// A CORS preflight (Fetch standard, "CORS-preflight fetch"): <c>OPTIONS</c> with <c>Origin</c> and <c>Access-Control-Request-Method</c>.
    /// It has no body, so it cannot say which client it is for.
    /// </summary>
    public bool IsPreflight => Method == "OPTIONS" && OriginHeader is not null && AccessControlRequestMethod is not null;

    public bool IsGet => Method == "GET";

    public bool IsPost => Method == "POST";

    /// <summary>The parameters of the request: the form for POST, the query otherwise.</summary>
    public IReadOnlyDictionary<string, StringValues> Parameters => IsPost ? Form : Query;

    public string? Cookie(string name) => Cookies.TryGetValue(name, out var value) ? value : null;
}
