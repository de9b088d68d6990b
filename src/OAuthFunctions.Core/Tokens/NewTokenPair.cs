namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// An access token and, when the grant issues one, the refresh token of its family: written together. The access
/// token belongs to the refresh token's family (<see cref="Family"/>).
/// </summary>
public sealed record NewTokenPair(NewToken Access, NewToken? Refresh)
{
    public FamilyKey? Family => Refresh?.Handle.Family;
}
