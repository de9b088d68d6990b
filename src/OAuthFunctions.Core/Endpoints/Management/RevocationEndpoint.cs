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
/// read, and the deletes (two for a family).
/// </summary>
public sealed class RevocationEndpoint(ClientAuthenticationStep clientAuthentication, ITokenStore tokens, TokenRevocation revocation, TimeProvider time) : IOAuthEndpoint
{
    public EndpointStyle Style => EndpointStyle.Api;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authenticated = await clientAuthentication.RunAsync(request, cancellationToken);
        if (authenticated.Client is not { } client)
        {
            return authenticated.Refusal!;
        }

        var value = FormParameters.Get(request.Form, "token");
        if (value is null)
        {
            return OAuthResponse.Error(OAuthErrors.MissingToken);
        }

        // token_type_hint is only a hint (§2.1): the token's own prefix says what it is.
        if (!TokenHandle.TryParse(value, out var handle) || handle!.ExpiredBefore(time.GetUtcNow()))
        {
            return Revoked();
        }

        return handle switch
        {
            { Kind: TokenKind.AccessToken } => await RevokeAccessTokenAsync(handle, client, cancellationToken),
            { Family: { } family } => await RevokeFamilyAsync(family, client, cancellationToken),
            { Kind: TokenKind.RefreshToken } => await RevokeLegacyRefreshTokenAsync(handle, client, cancellationToken),
            _ => Revoked(),
        };
    }

    private async Task<OAuthResponse> RevokeAccessTokenAsync(TokenHandle handle, Client client, CancellationToken cancellationToken)
    {
        var token = await tokens.FindAccessTokenAsync(handle, cancellationToken);
        if (token is null)
        {
            return Revoked();
        }

        if (token.Grant.ClientId != client.ClientId)
        {
            return OAuthResponse.Error(OAuthErrors.NotTokenOwner);
        }

        await tokens.RevokeAccessTokenAsync(token.Ref, cancellationToken);
        return Revoked();
    }

    /// <summary>
    /// Revoking a refresh token ends its family: its live refresh token and the access token issued with it (RFC 7009
    /// §2.1: the server SHOULD also invalidate the access tokens based on the same authorization grant). An old token of
    /// the family revokes it too: it is the same grant.
    /// </summary>
    private async Task<OAuthResponse> RevokeFamilyAsync(FamilyKey key, Client client, CancellationToken cancellationToken)
    {
        var family = await tokens.FindFamilyAsync(key, cancellationToken);
        if (family is null)
        {
            return Revoked();
        }

        if (family.Grant.ClientId != client.ClientId)
        {
            return OAuthResponse.Error(OAuthErrors.NotTokenOwner);
        }

        await revocation.RevokeFamilyAsync(family, "revoked by its client", cancellationToken);
        return Revoked();
    }

    private async Task<OAuthResponse> RevokeLegacyRefreshTokenAsync(TokenHandle handle, Client client, CancellationToken cancellationToken)
    {
        var token = await tokens.FindLegacyRefreshTokenAsync(handle.Ref, cancellationToken);
        if (token is null)
        {
            return Revoked();
        }

        if (token.Grant.ClientId != client.ClientId)
        {
            return OAuthResponse.Error(OAuthErrors.NotTokenOwner);
        }

        await revocation.RevokeLegacyAsync(token, "revoked by its client", cancellationToken);
        return Revoked();
    }

    /// <summary>RFC 7009 §2.2: HTTP 200 whether or not there was anything to revoke; the body is ignored.</summary>
    private static OAuthResponse Revoked() => OAuthResponse.Empty(200);
}
