namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// An authorization code as read from storage. <see cref="Version"/> is the storage's concurrency token: a
/// redemption commits only if the code is unchanged since it was read, so exactly one of many succeeds. A used code
/// names what it produced, so a second use can revoke it (RFC 6749 §4.1.2).
/// </summary>
public sealed record StoredCode(
    TokenRef Ref,
    TokenGrant Grant,
    string RedirectUri,
    bool RedirectUriGiven,
    string? CodeChallenge,
    bool Used,
    TokenRef? IssuedAccessToken,
    FamilyKey? IssuedFamily,
    string Version,
    string? Nonce = null,
    Users.UserProfile? Profile = null);
