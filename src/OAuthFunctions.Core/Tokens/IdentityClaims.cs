namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// What an ID token states beyond its grant (OpenID Connect Core §2): when the person signed in, the request's
/// <c>nonce</c> (code exchange only: §12.2 says a refreshed ID token carries none), and the profile claims released.
/// </summary>
public sealed record IdentityClaims(DateTimeOffset AuthTime, string? Nonce, Users.UserProfile? Profile);
