using System.Text.Json.Serialization.Metadata;
using OAuthFunctions.Core.Errors;

namespace OAuthFunctions.Core.Http;

/// <summary>An endpoint's answer, written to the wire by the host adapter.</summary>
public sealed class OAuthResponse
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string HtmlContentType = "text/html; charset=utf-8";

    private OAuthResponse(int statusCode, string? contentType, string? body)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
    }

    public int StatusCode { get; }

    public string? ContentType { get; }

    public string? Body { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<ResponseCookie> Cookies { get; } = [];

    /// <summary>
    /// A JSON body, escaped only as JSON requires (<see cref="JsonEscaping"/>), with <c>nosniff</c> so that no browser
    /// reads it as anything but JSON.
    /// </summary>
    public static OAuthResponse Json<T>(int statusCode, T payload, JsonTypeInfo<T> typeInfo)
    {
        var response = new OAuthResponse(statusCode, JsonContentType, JsonEscaping.Serialize(payload, typeInfo));
        response.Headers["X-Content-Type-Options"] = "nosniff";
        return response;
    }

    /// <summary>The JSON error body of RFC 6749 §5.2 with the status <see cref="OAuthError.StatusCode"/>.</summary>
    public static OAuthResponse Error(OAuthError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Json(error.StatusCode, new ErrorBody(error.Code, error.Description), OAuthJsonContext.Default.ErrorBody);
    }

    /// <summary>A 401 <c>invalid_client</c> that tells a client that tried HTTP Basic how to authenticate (RFC 6749 §5.2).</summary>
    public static OAuthResponse ClientError(OAuthError error, bool basicAttempted)
    {
        var response = Error(error);
        if (basicAttempted && error.StatusCode == 401)
        {
            response.Headers["WWW-Authenticate"] = "Basic realm=\"oauth2\"";
        }

        return response;
    }

    /// <summary>
    /// A refusal of a bearer-token request (RFC 6750 §3): the challenge <c>WWW-Authenticate: Bearer</c>, with
    /// <c>error</c> and <c>error_description</c> unless the request carried no token at all (§3.1: then no error code),
    /// and the same error as JSON for clients that read the body.
    /// </summary>
    public static OAuthResponse BearerChallenge(OAuthError? error)
    {
        var response = error is null ? Empty(401) : Error(error);
        response.Headers["WWW-Authenticate"] = error is null
            ? "Bearer realm=\"oauth2\""
            : $"Bearer realm=\"oauth2\", error=\"{error.Code}\", error_description=\"{error.Description}\"";
        return response;
    }

    /// <summary>A response with no body.</summary>
    public static OAuthResponse Empty(int statusCode) => new(statusCode, null, null);

    /// <summary>
    /// A redirect: 302 for GET; 303 after a POST, so the browser never repeats a form that carried credentials
    /// (OAuth 2.0 Security BCP §4.12). Characters a header cannot carry are percent-encoded as UTF-8.
    /// </summary>
    public static OAuthResponse Redirect(string location, bool afterPost = false)
    {
        ArgumentNullException.ThrowIfNull(location);
        var response = new OAuthResponse(afterPost ? 303 : 302, null, null);
        response.Headers["Location"] = HeaderSafe(location);
        return response;
    }

    private static string HeaderSafe(string location)
    {
        if (location.All(c => c is > ' ' and < (char)0x7F))
        {
            return location;
        }

        var builder = new System.Text.StringBuilder(location.Length * 3);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(location))
        {
            builder.Append(b is > 0x20 and < 0x7F ? ((char)b).ToString() : $"%{b:X2}");
        }

        return builder.ToString();
    }

    /// <summary>An HTML page with the page headers of docs/BEHAVIOUR.md §1 and a CSP that allows only its own nonce-tagged styles.</summary>
    public static OAuthResponse Page(int statusCode, string html, string styleNonce)
    {
        var response = new OAuthResponse(statusCode, HtmlContentType, html);
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Content-Security-Policy"] =
            $"default-src 'none'; style-src 'nonce-{styleNonce}'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";
        return response;
    }

    public OAuthResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public OAuthResponse WithCookie(ResponseCookie cookie)
    {
        Cookies.Add(cookie);
        return this;
    }
}
