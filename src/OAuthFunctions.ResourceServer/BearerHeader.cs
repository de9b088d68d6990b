using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace OAuthFunctions.ResourceServer;

/// <summary>Reads the bearer token from <c>Authorization</c> headers (RFC 6750 §2.1), and nothing else.</summary>
internal static partial class BearerHeader
{
    private const string Scheme = "Bearer";

    /// <summary>
    /// The token, or why there is none usable. The header alone is read: a token in the query string or the body
    /// (RFC 6750 §2.2, §2.3) ends up in logs and histories, and RFC 9700 §2.1 tells clients not to send one there.
    /// </summary>
    public static (BearerTokenStatus Status, string? Token) Parse(StringValues headers, int maxLength)
    {
        if (headers.Count == 0 || (headers.Count == 1 && string.IsNullOrEmpty(headers[0])))
        {
            return (BearerTokenStatus.Missing, null);
        }

        // Two Authorization headers cannot both be meant; the length limit comes before any parsing.
        if (headers.Count > 1 || headers[0]!.Length > maxLength)
        {
            return (BearerTokenStatus.Malformed, null);
        }

        var header = headers[0]!;

        // RFC 9110 §12.1: the scheme is case-insensitive. Another scheme is not a bearer token at all (maybe for
        // another handler), so not an error of ours.
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        if (!string.Equals(scheme, Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (BearerTokenStatus.Missing, null);
        }

        // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token.
        var token = space < 0 ? string.Empty : header[space..].TrimStart(' ');
        return B64Token().IsMatch(token) ? (BearerTokenStatus.Valid, token) : (BearerTokenStatus.Malformed, null);
    }

    // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    [GeneratedRegex("^[A-Za-z0-9\\-._~+/]+=*$")]
    private static partial Regex B64Token();
}
