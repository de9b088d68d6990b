using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Management;

/// <summary>
/// <c>POST /oauth2/revoke</c> (RFC 7009). The client authenticates (a public client by client_id); an unknown,
/// malformed or expired token is answered 200 (§2.2); a token of another client is refused (§2.1). Revoking a
/// refresh token revokes its family (its live refresh and access tokens). Storage cost: client read, token or family
/// read, and the deletes (two for a family). The token or family read runs alongside the client read
/// (<see cref="ReadAhead"/>); nothing is deleted before the client has authenticated and is found to own it.
/// </summary>
public sealed class RevocationEndpoint(ClientAuthenticationStep clientAuthentication, ITokenStore tokens, TokenRevocation revocation, TimeProvider time) : IOAuthEndpoint
{
    private const string RevokedByClient = "revoked by its client";

    public EndpointStyle Style => EndpointStyle.Api;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ReadAhead? found = null;
        var authenticated = await clientAuthentication.RunAsync(request, cancellationToken, before: shaped =>
        {
            found = FormParameters.Get(shaped.Form, "token") is { } presented
                ? ReadAhead.Start<Found>(presented, () => FindAsync(presented, cancellationToken))
                : null;
            return null;
        });
        if (authenticated.Client is not { } client)
        {
            return authenticated.Refusal!;
        }

        var value = FormParameters.Get(request.Form, "token");
        if (value is null)
        {
            return OAuthResponse.Error(OAuthErrors.MissingToken);
        }

        // Nothing found is revoked already (§2.2); another client's token is refused (§2.1).
        var token = await ReadAhead.ResultAsync<Found>(found, value, () => FindAsync(value, cancellationToken));
        if (token is null)
        {
            return Revoked();
        }

        if (token.Grant.ClientId != client.ClientId)
        {
            return OAuthResponse.Error(OAuthErrors.NotTokenOwner);
        }

        await token.RevokeAsync();
        return Revoked();
    }

    /// <summary>
    /// The stored token a presented value names, with how to revoke it; null for a malformed or expired value (never read)
    /// and for one storage does not hold. token_type_hint is only a hint (§2.1): the token's own prefix says what it is.
    /// Revoking a refresh token ends its family: its live refresh token and the access token issued with it (§2.1: the
    /// server SHOULD also invalidate the access tokens based on the same grant). An old token of the family revokes it too:
    /// it is the same grant.
    /// </summary>
    private async Task<Found?> FindAsync(string value, CancellationToken cancellationToken)
    {
        if (!TokenHandle.TryParse(value, out var handle) || handle!.ExpiredBefore(time.GetUtcNow()))
        {
            return null;
        }

        return handle switch
        {
            { Kind: TokenKind.AccessToken } => await tokens.FindAccessTokenAsync(handle, cancellationToken) is { } access
                ? new Found(access.Grant, () => tokens.RevokeAccessTokenAsync(access.Ref, cancellationToken))
                : null,
            { Family: { } key } => await tokens.FindFamilyAsync(key, cancellationToken) is { } family
                ? new Found(family.Grant, () => revocation.RevokeFamilyAsync(family, RevokedByClient, cancellationToken))
                : null,
            { Kind: TokenKind.RefreshToken } => await tokens.FindLegacyRefreshTokenAsync(handle.Ref, cancellationToken) is { } legacy
                ? new Found(legacy.Grant, () => revocation.RevokeLegacyAsync(legacy, RevokedByClient, cancellationToken))
                : null,
            _ => null,
        };
    }

    /// <summary>RFC 7009 §2.2: HTTP 200 whether or not there was anything to revoke; the body is ignored.</summary>
    private static OAuthResponse Revoked() => OAuthResponse.Empty(200);

    /// <summary>A stored token: whose it is, and how to revoke it.</summary>
    private sealed record Found(TokenGrant Grant, Func<Task> RevokeAsync);
}
