namespace OAuthFunctions.Core.Tokens;

/// <summary>An access token as read from storage; revoked tokens are deleted, so a row found is not revoked.</summary>
public sealed record StoredAccessToken(TokenRef Ref, TokenGrant Grant);
