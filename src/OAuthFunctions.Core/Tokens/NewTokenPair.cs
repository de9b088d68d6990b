namespace OAuthFunctions.Core.Tokens;

/// <summary>An access token and, when the grant issues one, its refresh token: written together.</summary>
public sealed record NewTokenPair(NewToken Access, NewToken? Refresh);
