using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Management;

/// <summary>
/// <c>POST /oauth2/revoke</c> (RFC 7009). The client authenticates (a public client by client_id); an unknown,
/// malformed or expired token is answered 200 (§2.2); a token of another client is refused (§2.1). Revoking a
/// refresh token revokes its family (its live refresh and access tokens). Storage cost: client read, token or family
/// read, and the deletes (two for a family).
/// </summary>
public sealed class RevocationEndpoint(ClientAuthenticationStep clientAuthentication, ITokenStore tokens, PresentedAccessTokens accessTokens, TokenRevocation revocation, TimeProvider time) : IOAuthEndpoint
{
    private const string RevokedByClient = "revoked by its client";

    public EndpointStyle Style => EndpointStyle.Api;

    public IReadOnlyList<string> Methods => EndpointMethods.Post;

    /// <summary>A browser app revokes its own tokens when the person signs out (RFC 7009 §2).</summary>
    public CorsAccess Cors => CorsAccess.ClientPost;

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

        // An RFC 9068 access token revokes the row its jti names (for introspection and the record: a resource server
        // that validates it offline accepts it until it expires, which is why its lifetime is short).
        if (Jws.LooksLikeJws(value))
        {
            return await accessTokens.LocateJwtAsync(value, request.Origin, cancellationToken) is { } row
                ? await RevokeOwnedAsync(await tokens.FindAccessTokenAsync(row, cancellationToken), t => t.Grant, t => tokens.RevokeAccessTokenAsync(t.Ref, cancellationToken), client)
                : Revoked();
        }

        // token_type_hint is only a hint (§2.1): the token itself says what it is. Revoking a refresh token ends its
        // family: its live refresh token and the access token issued with it (§2.1: the server SHOULD also invalidate
        // the access tokens based on the same grant). An old token of the family revokes it too: it is the same grant.
        return await PresentedToken.LocateAsync(value, tokens, time, cancellationToken) switch
        {
            { Family.Family: { } family } => await RevokeOwnedAsync(
                await tokens.FindFamilyAsync(family, cancellationToken), f => f.Grant, f => revocation.RevokeFamilyAsync(f, RevokedByClient, cancellationToken), client),
            { Row: { Kind: TokenKind.AccessToken } row } => await RevokeOwnedAsync(
                await tokens.FindAccessTokenAsync(row, cancellationToken), t => t.Grant, t => tokens.RevokeAccessTokenAsync(t.Ref, cancellationToken), client),
            { Row: { Kind: TokenKind.RefreshToken } row } => await RevokeOwnedAsync(
                await tokens.FindLegacyRefreshTokenAsync(row, cancellationToken), t => t.Grant, t => revocation.RevokeLegacyAsync(t, RevokedByClient, cancellationToken), client),
            _ => Revoked(),
        };
    }

    /// <summary>Nothing found is revoked already (§2.2); another client's token is refused (§2.1).</summary>
    private static async Task<OAuthResponse> RevokeOwnedAsync<T>(T? found, Func<T, TokenGrant> grantOf, Func<T, Task> revoke, Client client)
        where T : class
    {
        if (found is null)
        {
            return Revoked();
        }

        if (grantOf(found).ClientId != client.ClientId)
        {
            return OAuthResponse.Error(OAuthErrors.NotTokenOwner);
        }

        await revoke(found);
        return Revoked();
    }

    /// <summary>RFC 7009 §2.2: HTTP 200 whether or not there was anything to revoke; the body is ignored.</summary>
    private static OAuthResponse Revoked() => OAuthResponse.Empty(200);
}
