namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// An access token as read from storage; revoked tokens are deleted, so a row found is not revoked.
/// <see cref="Family"/> is the refresh token family it was issued with, if any.
/// </summary>
public sealed record StoredAccessToken(TokenRef Ref, TokenGrant Grant, FamilyKey? Family = null);
