namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// What a code or token stands for: which client, on whose behalf (no user for <c>client_credentials</c>), which
/// scope, and for how long (<see cref="ExpiresAt"/> null = never). <see cref="Stamp"/> is the user's security stamp
/// when the person signed in: a refresh token whose stamp is no longer the user's (the password changed, the
/// account was disabled) is refused. <see cref="AuthTime"/> is when the person signed in (OpenID Connect Core §2
/// <c>auth_time</c>), for grants that began with a sign-in on the authorization pages.
/// </summary>
public sealed record TokenGrant(
    string ClientId,
    string? UserId,
    string? Username,
    int Scope,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    string? Stamp = null,
    DateTimeOffset? AuthTime = null)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;
}
