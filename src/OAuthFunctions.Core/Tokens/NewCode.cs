namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// An authorization code bound to the redirect URI it will be delivered to (and whether the request named it,
/// RFC 6749 §4.1.3) and to the PKCE challenge (RFC 7636 §4.4), not yet stored.
/// </summary>
public sealed record NewCode(TokenHandle Handle, TokenGrant Grant, string RedirectUri, bool RedirectUriGiven, string? CodeChallenge);
