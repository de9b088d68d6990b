using System.Security.Cryptography;
using System.Text;

namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// A refresh token rotation family as read from storage: one row that names the family's live refresh token (by
/// hash) and its live access token. Every rotation replaces both, conditional on <see cref="Version"/>, so of two
/// racing uses exactly one wins; a refresh token of the family that is not <see cref="CurrentHash"/> was rotated
/// away, and presenting it is reuse (RFC 9700 §4.14.2). Revoking the family needs only this row, however long the
/// family is.
/// </summary>
/// <param name="Key">Where the row is.</param>
/// <param name="Grant">The family's client, user, stamp and scope; issue and expiry of the live refresh token.</param>
/// <param name="CurrentHash">SHA-256 of the live refresh token.</param>
/// <param name="CurrentAccessToken">The access token issued with the live refresh token.</param>
/// <param name="Revoked">A revocation was started and not finished: nothing of the family may be used.</param>
/// <param name="Rotations">How many times the family was rotated (for logs).</param>
/// <param name="Version">Storage's concurrency token of the row.</param>
public sealed record StoredFamily(
    FamilyKey Key,
    TokenGrant Grant,
    string CurrentHash,
    TokenRef? CurrentAccessToken,
    bool Revoked,
    int Rotations,
    string Version)
{
    /// <summary>Whether <paramref name="presented"/> is the family's live refresh token (compared in fixed time).</summary>
    public bool IsCurrent(TokenHandle presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented.Hash), Encoding.ASCII.GetBytes(CurrentHash));
    }
}
