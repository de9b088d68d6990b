using System.Globalization;
using System.Text.RegularExpressions;

namespace OAuthFunctions.Core.Clients;

/// <summary>
/// The web origins a browser app may call the server from (docs/BEHAVIOUR.md §12), written and compared in one form:
/// the ASCII serialization of a tuple origin (RFC 6454 §6.2), <c>scheme://host</c> with <c>:port</c> only when it is
/// not the scheme's default, lower-case, the host in punycode. That is exactly what a browser sends in <c>Origin</c>
/// (Fetch standard §3.1, "serializing a request origin"), so a request matches by ordinal string comparison.
/// </summary>
public static partial class AllowedOrigins
{
    /// <summary>
    /// Longer than any real origin (a 253-character host, a scheme and a port), short enough to stay a valid table key
    /// once encoded.
    /// </summary>
    public const int MaxLength = 300;

    /// <summary>
    /// The serialized form of <paramref name="value"/>, or null when it is not an http or https origin and nothing more:
    /// no path (not even <c>/</c>), query, fragment or userinfo, and never <c>null</c>, the serialization every opaque
    /// origin (sandboxed frames, <c>file:</c> and <c>data:</c> pages) shares (RFC 6454 §6.2, Fetch standard §3.1).
    /// </summary>
    public static string? Canonical(string? value) => Parse(value).Origin;

    /// <summary>Whether <paramref name="origin"/> is already in serialized form, as a browser sends it.</summary>
    public static bool IsCanonical(string? origin) => origin is not null && string.Equals(Canonical(origin), origin, StringComparison.Ordinal);

    /// <summary>Whether the client lists <paramref name="origin"/> (serialized form; compared exactly).</summary>
    public static bool Allows(Client client, string origin)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.AllowedOrigins.Contains(origin, StringComparer.Ordinal);
    }

    /// <summary>Whether a serialized origin is plain http on a host other than 127.0.0.1, [::1] or localhost.</summary>
    internal static bool IsInsecure(string canonical)
    {
        var uri = new Uri(canonical);
        return uri.Scheme == Uri.UriSchemeHttp && uri.Host is not ("127.0.0.1" or "[::1]" or "localhost");
    }

    /// <summary>The serialized origin, or why <paramref name="value"/> is not one (a phrase for a message).</summary>
    internal static (string? Origin, string? Problem) Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return (null, "is not of the form scheme://host[:port]");
        }

        if (string.Equals(value, "null", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "is the opaque origin null, which sandboxed frames and file: and data: pages all send");
        }

        var match = OriginShape().Match(value);
        if (!match.Success)
        {
            return (null, "is not of the form scheme://host[:port]");
        }

        var scheme = match.Groups["scheme"].Value.ToLowerInvariant();
        var authority = match.Groups["authority"].Value;
        if (scheme is not ("http" or "https"))
        {
            return (null, "is not an http or https origin");
        }

        if (match.Groups["rest"].Value.Length > 0)
        {
            return (null, "has a path, query or fragment (an origin is scheme://host[:port], with no trailing slash)");
        }

        if (authority.Contains('@', StringComparison.Ordinal))
        {
            return (null, "has a user name or password");
        }

        if (authority.Contains('%', StringComparison.Ordinal)
            || !Uri.TryCreate(scheme + "://" + authority, UriKind.Absolute, out var uri)
            || uri.Host.Length == 0
            || uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return (null, "does not name a valid host");
        }

        // RFC 6454 §6.2: the host in lower case (IDNA, so punycode); the port only when it is not the scheme's default.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost.ToLowerInvariant();
        var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return (scheme + "://" + host + port, null);
    }

    // RFC 3986 §3: scheme "://" authority, then whatever follows it (a path, query or fragment is refused above).
    [GeneratedRegex("^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?<authority>[^/?#]*)(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex OriginShape();
}
