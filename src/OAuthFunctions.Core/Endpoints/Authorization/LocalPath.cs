namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>Where the login page may send the browser afterwards: only a path on this server (no open redirect).</summary>
public static class LocalPath
{
    public static bool IsLocal(string? next) =>
        next is { Length: > 0 and <= 4096 }
        && next[0] == '/'
        && !next.StartsWith("//", StringComparison.Ordinal)
        && !next.StartsWith("/\\", StringComparison.Ordinal)
        && next.All(c => c is > ' ' and < (char)0x7F && c != '\\');

    /// <summary>
    /// The login page URL that returns to <paramref name="next"/> afterwards; <paramref name="reauthenticate"/> shows the
    /// form even to someone signed in (<c>prompt=login</c>), <paramref name="loginHint"/> fills in the username.
    /// </summary>
    public static string LoginUrl(string next, bool reauthenticate = false, string? loginHint = null) =>
        "/oauth2/login?next=" + Uri.EscapeDataString(next)
        + (reauthenticate ? "&prompt=login" : string.Empty)
        + (loginHint is null ? string.Empty : "&login_hint=" + Uri.EscapeDataString(loginHint));

    /// <summary>The path of a local URL, without its query or a trailing slash (routes accept one).</summary>
    public static string PathOf(string local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var end = local.IndexOfAny(['?', '#']);
        var path = end < 0 ? local : local[..end];
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    /// <summary>The one value of <paramref name="name"/> in the query of a local URL; null when absent or repeated.</summary>
    public static string? QueryValue(string local, string name)
    {
        ArgumentNullException.ThrowIfNull(local);
        var start = local.IndexOf('?', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = local.IndexOf('#', start);
        var values = local[(start + 1)..(end < 0 ? local.Length : end)]
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => Decode(pair[0]) == name)
            .Select(pair => pair.Length == 2 ? Decode(pair[1]) : string.Empty)
            .ToList();
        return values.Count == 1 ? values[0] : null;
    }

    /// <summary>application/x-www-form-urlencoded decoding: '+' is a space, then percent-decoding.</summary>
    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
