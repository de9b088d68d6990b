namespace OAuthFunctions.Core.Clients;

/// <summary>How a requested redirect URI is compared with the registered ones.</summary>
public static class RedirectUris
{
    /// <summary>
    /// The registered URI that <paramref name="requested"/> matches, or null. Comparison is exact (RFC 6749 §3.1.2.3,
    /// Security BCP §4.1.3), except that a registered loopback IP URI (<c>http://127.0.0.1/…</c>, <c>http://[::1]/…</c>)
    /// matches any port: native apps listen on an ephemeral port (RFC 8252 §7.3).
    /// </summary>
    public static string? Match(IReadOnlyList<string> registered, string requested)
    {
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(requested);
        foreach (var uri in registered)
        {
            if (string.Equals(uri, requested, StringComparison.Ordinal) || SameLoopbackExceptPort(uri, requested))
            {
                return requested;
            }
        }

        return null;
    }

    private static bool SameLoopbackExceptPort(string registered, string requested)
    {
        if (!Uri.TryCreate(registered, UriKind.Absolute, out var a) || !Uri.TryCreate(requested, UriKind.Absolute, out var b)
            || a.Scheme != Uri.UriSchemeHttp || b.Scheme != Uri.UriSchemeHttp
            || a.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || !a.IsLoopback
            || !string.Equals(a.Host, b.Host, StringComparison.Ordinal))
        {
            return false;
        }

        // Everything but the port must be identical, character for character.
        var withoutPort = new UriBuilder(b) { Port = a.Port }.Uri;
        return string.Equals(a.PathAndQuery, b.PathAndQuery, StringComparison.Ordinal)
            && string.Equals(a.UserInfo, b.UserInfo, StringComparison.Ordinal)
            && Uri.Compare(a, withoutPort, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;
    }
}
