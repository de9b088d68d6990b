namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// An authorization code bound to the redirect URI it will be delivered to (and whether the request named it,
/// RFC 6749 §4.1.3) and to the PKCE challenge (RFC 7636 §4.4), not yet stored. For an OpenID Connect request it also
/// carries what the ID token needs at the exchange without another storage read: the request's <c>nonce</c>
/// (OpenID Connect Core §3.1.3.6) and the profile claims the scopes release (<see cref="Profile"/>).
/// </summary>
public sealed record NewCode(
    TokenHandle Handle,
    TokenGrant Grant,
    string RedirectUri,
    bool RedirectUriGiven,
    string? CodeChallenge,
    string? Nonce = null,
    Users.UserProfile? Profile = null);
