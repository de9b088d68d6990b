namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// What a code or token stands for: which client, on whose behalf (no user for <c>client_credentials</c>), which
/// scope, and for how long (<see cref="ExpiresAt"/> null = never).
/// </summary>
public sealed record TokenGrant(
    string ClientId,
    string? UserId,
    string? Username,
    int Scope,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;
}
