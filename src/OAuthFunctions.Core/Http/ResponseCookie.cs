namespace OAuthFunctions.Core.Http;

/// <summary>A cookie to set (or, with a null value, to delete). Always HttpOnly, SameSite=Lax, path /oauth2.</summary>
public sealed record ResponseCookie(string Name, string? Value, bool Secure)
{
    public const string CookiePath = "/oauth2";

    /// <summary>A cookie that clears <paramref name="name"/>.</summary>
    public static ResponseCookie Delete(string name, bool secure) => new(name, null, secure);
}
