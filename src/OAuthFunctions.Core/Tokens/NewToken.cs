namespace OAuthFunctions.Core.Tokens;

/// <summary>A freshly minted access or refresh token, not yet stored.</summary>
public sealed record NewToken(TokenHandle Handle, TokenGrant Grant);
