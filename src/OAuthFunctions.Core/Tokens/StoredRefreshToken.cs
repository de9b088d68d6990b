namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// A refresh token as read from storage. A rotated one is kept (as long as reuse detection needs it) with a
/// pointer to its successor, so presenting it again can revoke the whole rotation family.
/// </summary>
public sealed record StoredRefreshToken(
    TokenRef Ref,
    TokenGrant Grant,
    TokenRef? AccessToken,
    bool Rotated,
    TokenRef? Successor,
    string Version);
