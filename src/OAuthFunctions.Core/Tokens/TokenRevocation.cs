using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// What a replay revokes, decided here and carried out by the store's primitives. A rotated refresh token presented
/// again revokes its whole family (RFC 9700 §4.14.2); a code used twice revokes what it produced (RFC 6749 §4.1.2).
/// Every path costs a bounded number of storage requests: a family is one row naming its live end.
/// </summary>
public sealed class TokenRevocation(ITokenStore tokens, SecurityLog security)
{
    /// <summary>
    /// How far a chain of refresh tokens rotated before families is followed. Such chains cannot grow any more (a
    /// pre-family token that is used becomes a family), so this only bounds what existed when families came.
    /// </summary>
    public const int MaxLegacySteps = 10_000;

    /// <summary>A refresh token of <paramref name="family"/> that is not its live one was presented: the family ends.</summary>
    public async Task FamilyReusedAsync(StoredFamily family, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        security.RefreshTokenReused(family.Grant.ClientId, family.Grant.UserId, family.Key.Hash);
        await RevokeFamilyAsync(family, "reuse of a rotated refresh token", cancellationToken);
    }

    public async Task RevokeFamilyAsync(StoredFamily family, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        await tokens.RevokeFamilyAsync(family, cancellationToken);
        security.FamilyRevoked(family.Key.Hash, family.Grant.ClientId, family.Grant.UserId, reason);
    }

    /// <summary>
    /// A code was presented again: the access token and the family it produced are revoked. <paramref name="code"/> may
    /// have been read before the redemption that spent it; then it is read again to learn what that produced.
    /// </summary>
    public async Task CodeReusedAsync(TokenHandle handle, StoredCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        security.CodeReused(code.Grant.ClientId, code.Grant.UserId);
        var spent = code.Used ? code : await tokens.FindCodeAsync(handle, cancellationToken);
        if (spent?.IssuedFamily is { } key)
        {
            // The family's live access token is the code's own until the first rotation, which deletes the code's.
            if (await tokens.FindFamilyAsync(key, cancellationToken) is { } family)
            {
                await RevokeFamilyAsync(family, "second use of its authorization code", cancellationToken);
            }
        }
        else if (spent?.IssuedAccessToken is { } access)
        {
            await tokens.RevokeAccessTokenAsync(access, cancellationToken);
        }
    }

    /// <summary>A refresh token from before families that was already used was presented again.</summary>
    public async Task LegacyReusedAsync(StoredLegacyRefreshToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        security.RefreshTokenReused(token.Grant.ClientId, token.Grant.UserId, token.Ref.Hash);
        await RevokeLegacyAsync(token, "reuse of a rotated refresh token", cancellationToken);
    }

    /// <summary>
    /// Revokes a refresh token from before families and whatever it became: the family it was turned into, or,
    /// following successors rotated before families, the live end of its chain.
    /// </summary>
    public async Task RevokeLegacyAsync(StoredLegacyRefreshToken token, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        StoredLegacyRefreshToken? node = token;
        for (var step = 0; step < MaxLegacySteps && node is not null; step++)
        {
            if (!node.Rotated)
            {
                if (await tokens.RevokeLegacyRefreshTokenAsync(node, cancellationToken))
                {
                    security.FamilyRevoked(node.Ref.Hash, node.Grant.ClientId, node.Grant.UserId, reason);
                    return;
                }

                // Used meanwhile: read it again and follow what it became.
                node = await tokens.FindLegacyRefreshTokenAsync(node.Ref, cancellationToken);
                continue;
            }

            if (node.SuccessorFamily is { } key)
            {
                if (await tokens.FindFamilyAsync(key, cancellationToken) is { } family)
                {
                    await RevokeFamilyAsync(family, reason, cancellationToken);
                }

                return;
            }

            node = node.Successor is { } next ? await tokens.FindLegacyRefreshTokenAsync(next, cancellationToken) : null;
        }
    }
}
