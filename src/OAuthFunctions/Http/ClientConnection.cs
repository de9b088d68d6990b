using System.Net;
using Microsoft.AspNetCore.Http;

namespace OAuthFunctions.Http;

/// <summary>
/// Who the client is, decided in this one place from the transport alone: the address the login throttle counts,
/// whether the client used HTTPS (<c>EnforceSecure</c>, Secure cookies) and the host the issuer follows when
/// <c>OAuth__Issuer</c> is unset.
/// <para>
/// Only the connection and real request headers count, never the Functions invocation's binding data: the host builds
/// that from the query string and a JSON body before it adds the headers, so <c>?headers={…}</c> would replace them.
/// X-Forwarded-* headers count only for the <c>OAuth__ForwardedHops</c> proxies nearest to this process (RFC 7239 §8.1:
/// only entries added by trusted proxies can be believed; a client can write any entries to the left of them).
/// Under the Functions host that is 0: the worker's own forwarded-headers step has already applied what the host
/// forwarded (docs/ARCHITECTURE.md, "Who the client is").
/// </para>
/// </summary>
internal sealed class ClientConnection
{
    private ClientConnection(string? address, bool isHttps, string host)
    {
        Address = address;
        IsHttps = isHttps;
        Host = host;
    }

    /// <summary>The client's IP address in canonical text (IPv6 kept whole), or null when the transport has none.</summary>
    public string? Address { get; }

    /// <summary>Whether the client reached the nearest untrusted hop over HTTPS.</summary>
    public bool IsHttps { get; }

    /// <summary>The host name (and port) the client asked for.</summary>
    public string Host { get; }

    /// <param name="request">The request as this process received it.</param>
    /// <param name="trustedHops">How many proxies nearest to this process may speak for the client.</param>
    public static ClientConnection Of(HttpRequest request, int trustedHops)
    {
        ArgumentNullException.ThrowIfNull(request);
        var address = request.HttpContext.Connection.RemoteIpAddress?.ToString();
        var isHttps = request.IsHttps;
        var host = request.Host.HasValue ? request.Host.Value! : "localhost";
        if (trustedHops > 0)
        {
            if (Trusted(request, "X-Forwarded-For", trustedHops) is { } forwardedFor && ParseAddress(forwardedFor) is { } forwardedAddress)
            {
                address = forwardedAddress;
            }

            if (Trusted(request, "X-Forwarded-Proto", trustedHops) is { } proto
                && (string.Equals(proto, "https", StringComparison.OrdinalIgnoreCase) || string.Equals(proto, "http", StringComparison.OrdinalIgnoreCase)))
            {
                isHttps = string.Equals(proto, "https", StringComparison.OrdinalIgnoreCase);
            }

            if (Trusted(request, "X-Forwarded-Host", trustedHops) is { } forwardedHost && IsHostAndPort(forwardedHost))
            {
                host = forwardedHost;
            }
        }

        return new ClientConnection(address, isHttps, host);
    }

    /// <summary>
    /// The entry the outermost trusted proxy wrote: the <paramref name="hops"/>-th from the right, or the leftmost when
    /// the request passed fewer proxies. Several header lines count as one list, in order (RFC 9110 §5.3).
    /// </summary>
    private static string? Trusted(HttpRequest request, string header, int hops)
    {
        var entries = request.Headers[header]
            .SelectMany(line => (line ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        return entries.Count == 0 ? null : entries[Math.Max(0, entries.Count - hops)];
    }

    /// <summary>An address, with or without the port some proxies append (<c>203.0.113.9:51234</c>, <c>[2001:db8::1]:443</c>).</summary>
    private static string? ParseAddress(string entry) =>
        IPAddress.TryParse(entry, out var address) ? address.ToString()
        : IPEndPoint.TryParse(entry, out var endpoint) ? endpoint.Address.ToString()
        : null;

    /// <summary>RFC 9110 §7.2: <c>uri-host [ ":" port ]</c>, nothing more.</summary>
    private static bool IsHostAndPort(string value) =>
        value.IndexOfAny(['/', '\\', '@', '?', '#', ' ']) < 0
        && Uri.TryCreate("http://" + value + "/", UriKind.Absolute, out var uri)
        && uri.AbsolutePath == "/"
        && Uri.CheckHostName(uri.IdnHost) != UriHostNameType.Unknown;
}
