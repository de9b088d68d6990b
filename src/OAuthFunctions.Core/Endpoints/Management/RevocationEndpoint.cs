using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Management;

/// <summary>
/// <c>POST /oauth2/revoke</c> (RFC 7009). The client authenticates (a public client by client_id); an unknown,
/// malformed or expired token is answered 200 (§2.2); a token of another client is refused (§2.1). Revoking a
/// refresh token revokes its access token and, if it was rotated, its whole family. Storage cost: client read,
/// token read, and the deletes (two for a refresh token).
/// </summary>
public sealed class RevocationEndpoint(ClientAuthenticator authenticator, ITokenStore tokens, TimeProvider time) : IOAuthEndpoint
{
    public EndpointStyle Style => EndpointStyle.Api;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (FormParameters.CheckFormPost(request) is { } shapeError)
        {
            return OAuthResponse.Error(shapeError);
        }

        var authentication = await authenticator.AuthenticateAsync(request, cancellationToken);
        if (authentication.Client is not { } client)
        {
            return OAuthResponse.ClientError(authentication.Error!, authentication.BasicAttempted);
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

        return handle.Kind switch
        {
            TokenKind.AccessToken => await RevokeAccessTokenAsync(handle, client, cancellationToken),
            TokenKind.RefreshToken => await RevokeRefreshTokenAsync(handle, client, cancellationToken),
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

    private async Task<OAuthResponse> RevokeRefreshTokenAsync(TokenHandle handle, Client client, CancellationToken cancellationToken)
    {
        var token = await tokens.FindRefreshTokenAsync(handle, cancellationToken);
        if (token is null)
        {
            return Revoked();
        }

        if (token.Grant.ClientId != client.ClientId)
        {
            return OAuthResponse.Error(OAuthErrors.NotTokenOwner);
        }

        await tokens.RevokeRefreshFamilyAsync(token, cancellationToken);
        return Revoked();
    }

    /// <summary>RFC 7009 §2.2: HTTP 200 whether or not there was anything to revoke; the body is ignored.</summary>
    private static OAuthResponse Revoked() => OAuthResponse.Empty(200);
}
