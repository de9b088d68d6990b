namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// A refresh token with a row of its own, issued before rotation families. Using it once turns it into a family: the
/// row is marked <see cref="Rotated"/> (conditional on <see cref="Version"/>) and points at the family, so presenting
/// it again revokes that family. Tokens rotated before families point at their successor row instead.
/// </summary>
public sealed record StoredLegacyRefreshToken(
    TokenRef Ref,
    TokenGrant Grant,
    TokenRef? AccessToken,
    bool Rotated,
    TokenRef? Successor,
    FamilyKey? SuccessorFamily,
    string Version);
