using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Stores;

/// <summary>
/// Authorization codes, access tokens and refresh token families, stored by hash. The store gives atomic primitives;
/// the grants decide what a use means (a second use of a code, a refresh token that is no longer its family's live
/// one). Every single-use step commits with a conditional write, so of many concurrent attempts exactly one wins,
/// and a failed attempt removes what it wrote (docs/ARCHITECTURE.md, "Single use").
/// </summary>
public interface ITokenStore
{
    Task SaveCodeAsync(NewCode code, CancellationToken cancellationToken);

    Task<StoredCode?> FindCodeAsync(TokenHandle code, CancellationToken cancellationToken);

    /// <summary>An access token by its row: from its handle, the import index, or the <c>jti</c> of a JWT access token (RFC 9068 §2.2).</summary>
    Task<StoredAccessToken?> FindAccessTokenAsync(TokenRef token, CancellationToken cancellationToken);

    Task<StoredAccessToken?> FindAccessTokenAsync(TokenHandle token, CancellationToken cancellationToken) =>
        FindAccessTokenAsync(token?.Ref ?? throw new ArgumentNullException(nameof(token)), cancellationToken);

    /// <summary>Where a token imported from django-oauth2-provider is stored, by the hash of its value; null if none was imported.</summary>
    Task<TokenRef?> FindImportedAsync(string hash, CancellationToken cancellationToken);

    /// <summary>The family of a refresh token, revoked or not; null when there is none (never was, expired, or revoked and gone).</summary>
    Task<StoredFamily?> FindFamilyAsync(FamilyKey family, CancellationToken cancellationToken);

    /// <summary>A refresh token from before families (<c>r…</c>), by its row.</summary>
    Task<StoredLegacyRefreshToken?> FindLegacyRefreshTokenAsync(TokenRef token, CancellationToken cancellationToken);

    /// <summary>Stores tokens that spend nothing (password, client_credentials, implicit); a refresh token starts its family.</summary>
    Task IssueAsync(NewTokenPair tokens, CancellationToken cancellationToken);

    /// <summary>Stores the tokens (and their family) and marks the code used, naming them; exactly one redemption of a code commits.</summary>
    Task<CommitResult> RedeemCodeAsync(StoredCode code, NewTokenPair tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="tokens"/> the family's live pair, if the family is unchanged since it was read (not rotated,
    /// not revoked) and <paramref name="proceed"/> says so. The old access token stops working either way.
    /// </summary>
    /// <param name="family">The family as read.</param>
    /// <param name="tokens">The new pair.</param>
    /// <param name="proceed">
    /// A check that runs alongside the writes before the commit (the user check); false withdraws the rotation:
    /// nothing is committed, the new rows are removed, <see cref="CommitResult.Withdrawn"/>.
    /// </param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    Task<CommitResult> RotateAsync(StoredFamily family, NewTokenPair tokens, Task<bool> proceed, CancellationToken cancellationToken);

    /// <summary>A rotation with nothing to check alongside.</summary>
    Task<CommitResult> RotateAsync(StoredFamily family, NewTokenPair tokens, CancellationToken cancellationToken) =>
        RotateAsync(family, tokens, Task.FromResult(true), cancellationToken);

    /// <summary>Turns a pre-family refresh token into a new family holding <paramref name="tokens"/>; exactly one use commits.</summary>
    Task<CommitResult> UpgradeLegacyAsync(StoredLegacyRefreshToken token, NewTokenPair tokens, CancellationToken cancellationToken);

    /// <summary>Deletes an access token (deleting a missing one is not an error).</summary>
    Task RevokeAccessTokenAsync(TokenRef accessToken, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a family: its live refresh token and live access token stop working, whatever the family's length, in a
    /// bounded number of storage requests. A rotation racing the revocation cannot leave a live successor. Idempotent:
    /// after a storage fault, calling it again (with the family read again) finishes the job.
    /// </summary>
    Task RevokeFamilyAsync(StoredFamily family, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a pre-family refresh token and its access token, if the token is unchanged since it was read; false when
    /// it changed (it was used meanwhile and is now a family, which the caller must revoke instead).
    /// </summary>
    Task<bool> RevokeLegacyRefreshTokenAsync(StoredLegacyRefreshToken token, CancellationToken cancellationToken);
}
