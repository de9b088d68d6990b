using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>
/// <c>refresh_token</c> (RFC 6749 §6). The token must be its family's live one, this client's and unexpired, and its
/// user must still be active under the security stamp the token was issued with. Every use rotates: a new access
/// token and refresh token; the old pair stops working (django-oauth2-provider's rule). Presenting a refresh token of the
/// family that is no longer the live one is reuse: the whole family is revoked (RFC 9700 §4.14.2), at a cost that
/// does not grow with the family's length. Storage: client read, family read, user read (none when cached), access
/// token insert, old access token delete, conditional family update. The family read runs alongside the client read,
/// and the user read alongside the insert and the delete, with the commit waiting for it: three round trips one after
/// another (docs/PERFORMANCE.md, "Sequential depth").
/// </summary>
public sealed class RefreshTokenGrant(
    ScopeRegistry scopes,
    TokenIssuer issuer,
    ITokenStore tokens,
    TokenRevocation revocation,
    ActiveUsers activeUsers,
    SecurityLog security,
    TimeProvider time) : IGrantHandler
{
    public string GrantType => GrantTypes.RefreshToken;

    /// <summary>The family's row, for a refresh token of a family (a token from before families is read when its turn comes).</summary>
    public ReadAhead? StartReadAhead(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Presented(FormParameters.Get(request.Form, "refresh_token")) is { Family: { } key } handle
            ? ReadAhead.Start<StoredFamily>(handle.Value, () => tokens.FindFamilyAsync(key, cancellationToken))
            : null;
    }

    public async Task<Result<NewTokenPair>> HandleAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Param("refresh_token");
        if (value is null)
        {
            return OAuthErrors.MissingRefreshToken;
        }

        var now = time.GetUtcNow();
        return await PresentedToken.LocateAsync(value, tokens, time, cancellationToken) switch
        {
            { Family: { Family: { } key } handle } => await RotateAsync(request, handle, key, now, cancellationToken),
            { Row: { Kind: TokenKind.RefreshToken } row } => await UpgradeLegacyAsync(request, row, now, cancellationToken),
            _ => OAuthErrors.InvalidRefreshToken,
        };
    }

    private async Task<Result<NewTokenPair>> RotateAsync(TokenRequest request, TokenHandle handle, FamilyKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var family = await ReadAhead.ResultAsync<StoredFamily>(request.ReadAhead, handle.Value, () => tokens.FindFamilyAsync(key, cancellationToken));

        // RFC 6749 §5.2 invalid_grant: the refresh token is invalid, expired, revoked, or was issued to another client.
        if (family is null || family.Grant.ClientId != request.Client.ClientId)
        {
            return OAuthErrors.InvalidRefreshToken;
        }

        if (family.Revoked)
        {
            // A revocation that a fault interrupted: finish it.
            await revocation.RevokeFamilyAsync(family, "revocation resumed", cancellationToken);
            return OAuthErrors.InvalidRefreshToken;
        }

        if (!family.IsCurrent(handle))
        {
            await revocation.FamilyReusedAsync(family, cancellationToken);
            return OAuthErrors.InvalidRefreshToken;
        }

        if (family.Grant.IsExpired(now))
        {
            return OAuthErrors.InvalidRefreshToken;
        }

        // The user check (a user read, unless this instance has the user's status) runs alongside the rotation's writes;
        // the rotation commits only if it passes, and otherwise withdraws its rows.
        var owner = CheckOwnerAsync(family.Grant, cancellationToken);
        if (NarrowScope(request, family.Grant.Scope) is not { } granted)
        {
            return (await owner).Error is { } ownerError ? await RefuseChangedOwnerAsync(family, ownerError, cancellationToken) : OAuthErrors.ScopeInvalid;
        }

        // RFC 6749 §6: the new refresh token has exactly the scope of the one it replaces, in the same family.
        var pair = issuer.Mint(request.Client, ResourceOwner.Of(family.Grant), granted, new RefreshPlan(family.Grant.Scope, handle.FamilyId));
        var outcome = await tokens.RotateAsync(family, pair, PassesAsync(owner), cancellationToken);
        if (outcome == CommitResult.Withdrawn)
        {
            // The rotation already deleted the family's live access token; the row goes too.
            return await RefuseChangedOwnerAsync(family with { CurrentAccessToken = null }, (await owner).Error!, cancellationToken);
        }

        if (outcome == CommitResult.AlreadyUsed)
        {
            // A concurrent use rotated (or revoked) the family first: this use presented a token that is no longer
            // the live one, which is reuse. Read again to reach the family's live end.
            if (await tokens.FindFamilyAsync(key, cancellationToken) is { } changed)
            {
                await revocation.FamilyReusedAsync(changed, cancellationToken);
            }

            return OAuthErrors.InvalidRefreshToken;
        }

        // OpenID Connect Core §12.2: a refresh of an OpenID Connect grant answers with a new ID token, with the original
        // auth_time and no nonce; the profile claims are read afresh with the user.
        return family.Grant.AuthTime is { } authTime && ScopeRegistry.IsOpenId(granted)
            ? pair with { Identity = new IdentityClaims(authTime, Nonce: null, (await owner).Profile) }
            : pair;
    }

    /// <summary>
    /// A refresh token with a row of its own (issued before families, or imported from django-oauth2-provider): used
    /// once, it becomes a new family; used again, reuse.
    /// </summary>
    private async Task<Result<NewTokenPair>> UpgradeLegacyAsync(TokenRequest request, TokenRef row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var legacy = await tokens.FindLegacyRefreshTokenAsync(row, cancellationToken);
        if (legacy is null || legacy.Grant.ClientId != request.Client.ClientId)
        {
            return OAuthErrors.InvalidRefreshToken;
        }

        if (legacy.Rotated)
        {
            await revocation.LegacyReusedAsync(legacy, cancellationToken);
            return OAuthErrors.InvalidRefreshToken;
        }

        if (legacy.Grant.IsExpired(now))
        {
            return OAuthErrors.InvalidRefreshToken;
        }

        if ((await CheckOwnerAsync(legacy.Grant, cancellationToken)).Error is { } ownerError)
        {
            await revocation.RevokeLegacyAsync(legacy, "the user changed since it was issued", cancellationToken);
            return ownerError;
        }

        if (NarrowScope(request, legacy.Grant.Scope) is not { } granted)
        {
            return OAuthErrors.ScopeInvalid;
        }

        var pair = issuer.Mint(request.Client, ResourceOwner.Of(legacy.Grant), granted, new RefreshPlan(legacy.Grant.Scope));
        if (await tokens.UpgradeLegacyAsync(legacy, pair, cancellationToken) == CommitResult.AlreadyUsed)
        {
            if (await tokens.FindLegacyRefreshTokenAsync(row, cancellationToken) is { } spent)
            {
                await revocation.LegacyReusedAsync(spent, cancellationToken);
            }

            return OAuthErrors.InvalidRefreshToken;
        }

        return pair;
    }

    /// <summary>A well-formed refresh token whose expiry hour (if its form carries one) is not over.</summary>
    private TokenHandle? Presented(string? value) =>
        TokenHandle.TryParse(value, TokenKind.RefreshToken, out var handle) && !handle!.ExpiredBefore(time.GetUtcNow()) ? handle : null;

    private static async Task<bool> PassesAsync(Task<(OAuthError? Error, UserProfile? Profile)> check) => (await check).Error is null;

    /// <summary>The user changed since the family was issued: the family ends, and the request is refused.</summary>
    private async Task<OAuthError> RefuseChangedOwnerAsync(StoredFamily family, OAuthError error, CancellationToken cancellationToken)
    {
        await revocation.RevokeFamilyAsync(family, "the user changed since it was issued", cancellationToken);
        return error;
    }

    /// <summary>A refresh token of a user who was disabled, removed, or changed password since it was issued is refused.</summary>
    /// <returns>The error, or null and the user's profile claims (null for a grant without a user).</returns>
    private async Task<(OAuthError? Error, UserProfile? Profile)> CheckOwnerAsync(TokenGrant grant, CancellationToken cancellationToken)
    {
        if (grant.UserId is null)
        {
            return (null, null);
        }

        if (await activeUsers.ActiveProfileAsync(grant.Username ?? string.Empty, grant.UserId, grant.Stamp, cancellationToken) is { } profile)
        {
            return (null, profile);
        }

        security.RefreshRefusedAccountChanged(grant.ClientId, grant.UserId);
        return (OAuthErrors.InvalidRefreshToken, null);
    }

    /// <summary>RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted; omitted means the same.</summary>
    private int? NarrowScope(TokenRequest request, int original) =>
        scopes.Parse(request.Param("scope"), original) is { } granted && ScopeRegistry.Check(granted, original) ? granted : null;
}
