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
}
