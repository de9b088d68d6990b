using Microsoft.AspNetCore.Http;
using OAuthFunctions.Core.Errors;

namespace OAuthFunctions.Http;

/// <summary>
/// How much one request may carry. Every endpoint takes a few short parameters (the longest legitimate form, a token
/// request with a 128-character PKCE verifier and a long scope, is well under 4 KiB), so anything near these limits is
/// an attack on memory: refused with 413 or 414 before, or instead of, reading it.
/// </summary>
internal static class RequestLimits
{
    /// <summary>The largest form body read.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The longest query string (after the '?') accepted.</summary>
    public const int MaxQueryLength = 8 * 1024;

    /// <summary>The limit a request breaks by what it declares, before a byte of its body is read; null when none.</summary>
    public static OAuthError? RefuseDeclared(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // RFC 9110 §15.5.15: 414 when the target is longer than the server will interpret.
        if (request.QueryString.HasValue && request.QueryString.Value!.Length - 1 > MaxQueryLength)
        {
            return OAuthErrors.QueryTooLong;
        }

        // RFC 9110 §15.5.14: 413 when the content is larger than the server will process; decided from Content-Length
        // alone. A body without one (chunked) is cut off while it is read (BoundedBody).
        return request.ContentLength > MaxBodyBytes ? OAuthErrors.BodyTooLarge : null;
    }
}
