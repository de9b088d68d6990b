namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// Where a stored credential lives, without its value: what one stored row needs to point at another
/// (a code at the tokens it produced, a refresh token at its access token and at its successor).
/// </summary>
public readonly record struct TokenRef(TokenKind Kind, int Shard, int Bucket, string Hash);
