namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// Who is signed in, until when, under which security stamp (a sign-in whose stamp is no longer the user's is over),
/// and when they entered their password (<see cref="AuthTime"/>: OpenID Connect Core §2 <c>auth_time</c>, which
/// <c>max_age</c> and <c>prompt=login</c> are measured against). Lives in an encrypted, HttpOnly, SameSite cookie; no
/// storage row.
/// </summary>
public sealed record LoginSession(string UserId, string Username, DateTimeOffset ExpiresAt, string? Stamp = null, DateTimeOffset? AuthTime = null)
{
    /// <summary>
    /// When the person signed in. A cookie written before sign-ins recorded it is taken to have lasted the whole
    /// <paramref name="loginLifetime"/>, which is when it began unless the setting changed since.
    /// </summary>
    public DateTimeOffset SignedInAt(TimeSpan loginLifetime) => AuthTime ?? ExpiresAt - loginLifetime;
}
