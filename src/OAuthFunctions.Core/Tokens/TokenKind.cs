namespace OAuthFunctions.Core.Tokens;

/// <summary>What an opaque credential is; its first character says so, so a token is never looked up as the wrong kind.</summary>
public enum TokenKind
{
    AuthorizationCode = 'c',
    AccessToken = 'a',
    RefreshToken = 'r',
}
