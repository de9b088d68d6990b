using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Stores;

/// <summary>
/// Authorization codes, access tokens and refresh tokens, stored by hash. Single-use operations commit with a
/// conditional write, so of many concurrent attempts exactly one wins; a failed attempt removes what it wrote.
/// </summary>
public interface ITokenStore
{
    Task SaveCodeAsync(NewCode code, CancellationToken cancellationToken);

    Task<StoredCode?> FindCodeAsync(TokenHandle code, CancellationToken cancellationToken);

    Task<StoredAccessToken?> FindAccessTokenAsync(TokenHandle token, CancellationToken cancellationToken);

    Task<StoredRefreshToken?> FindRefreshTokenAsync(TokenHandle token, CancellationToken cancellationToken);

    /// <summary>Stores tokens that spend nothing (password, client_credentials, implicit).</summary>
    Task IssueAsync(NewTokenPair tokens, CancellationToken cancellationToken);

    /// <summary>Stores the tokens and marks the code used, atomically with respect to other redemptions.</summary>
    Task<CommitResult> RedeemCodeAsync(StoredCode code, NewTokenPair tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the new pair, revokes the old access token and marks the old refresh token rotated (pointing at its
    /// successor), atomically with respect to other rotations of the same token.
    /// </summary>
    Task<CommitResult> RotateRefreshTokenAsync(StoredRefreshToken current, NewTokenPair tokens, CancellationToken cancellationToken);

    Task RevokeAccessTokenAsync(TokenRef accessToken, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a refresh token and everything rotated from it: follows successors from <paramref name="start"/>
    /// to the live one, deleting each with its access token. Returns how many refresh tokens were revoked.
    /// </summary>
    Task<int> RevokeRefreshFamilyAsync(StoredRefreshToken start, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes the tokens a redeemed code produced, and their rotation family (RFC 6749 §4.1.2). Re-reads the code
    /// when <paramref name="code"/> was read before the redemption that used it.
    /// </summary>
    Task RevokeIssuedFromCodeAsync(StoredCode code, CancellationToken cancellationToken);
}
