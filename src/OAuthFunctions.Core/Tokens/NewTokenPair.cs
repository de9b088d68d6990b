namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// An access token and, when the grant issues one, the refresh token of its family: written together. The access
/// token belongs to the refresh token's family (<see cref="Family"/>).
/// </summary>
public sealed record NewTokenPair(NewToken Access, NewToken? Refresh)
{
    public FamilyKey? Family => Refresh?.Handle.Family;

    /// <summary>
    /// Set by a grant that answers with an ID token (the code flow with <c>openid</c>, and refreshes of its family):
    /// what the ID token says beyond the grant. Not stored.
    /// </summary>
    public IdentityClaims? Identity { get; init; }

    /// <summary>The access token as an RFC 9068 JWT, for clients registered for that format; not stored (its row is <see cref="Access"/>).</summary>
    public string? AccessTokenJwt { get; init; }

    /// <summary>The signed ID token (OpenID Connect Core §3.1.3.3); not stored.</summary>
    public string? IdToken { get; init; }

    /// <summary>What the client receives as <c>access_token</c>.</summary>
    public string AccessTokenValue => AccessTokenJwt ?? Access.Handle.Value;
}
