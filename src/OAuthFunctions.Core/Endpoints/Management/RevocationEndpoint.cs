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
/// read, and the deletes (two for a family). The token or family read runs alongside the client read
/// (<see cref="ReadAhead"/>); nothing is deleted before the client has authenticated and is found to own it.
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
        ReadAhead? found = null;
        var authenticated = await clientAuthentication.RunAsync(request, cancellationToken, readAhead: shaped =>
        {
            // Only a token in this server's own format is read ahead (one point read named by the string itself); an
            // imported token's index read and a JWT's signature check wait until the client has authenticated.
            found = FormParameters.Get(shaped.Form, "token") is { } presented && TokenHandle.TryParse(presented, out _)
                ? ReadAhead.Start<Found>(presented, () => FindAsync(presented, shaped.Origin, cancellationToken))
                : null;
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
        var token = await ReadAhead.ResultAsync<Found>(found, value, () => FindAsync(value, request.Origin, cancellationToken));
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
    /// and for one storage does not hold. token_type_hint is only a hint (§2.1): the token itself says what it is.
    /// Revoking a refresh token ends its family: its live refresh token and the access token issued with it (§2.1: the
    /// server SHOULD also invalidate the access tokens based on the same grant). An old token of the family revokes it too:
    /// it is the same grant. An RFC 9068 access token revokes the row its jti names (for introspection and the record: a
    /// resource server that validates it offline accepts it until it expires, which is why its lifetime is short).
    /// </summary>
    private async Task<Found?> FindAsync(string value, string issuer, CancellationToken cancellationToken)
    {
        if (Jws.LooksLikeJws(value))
        {
            return await accessTokens.LocateJwtAsync(value, issuer, cancellationToken) is { } jwt ? await AccessTokenAsync(jwt, cancellationToken) : null;
        }

        return await PresentedToken.LocateAsync(value, tokens, time, cancellationToken) switch
        {
            { Family: { Family: { } key } } => await tokens.FindFamilyAsync(key, cancellationToken) is { } family
                ? new Found(family.Grant, () => revocation.RevokeFamilyAsync(family, RevokedByClient, cancellationToken))
                : null,
            { Row: { Kind: TokenKind.AccessToken } row } => await AccessTokenAsync(row, cancellationToken),
            { Row: { Kind: TokenKind.RefreshToken } row } => await tokens.FindLegacyRefreshTokenAsync(row, cancellationToken) is { } legacy
                ? new Found(legacy.Grant, () => revocation.RevokeLegacyAsync(legacy, RevokedByClient, cancellationToken))
                : null,
            _ => null,
        };
    }

    private async Task<Found?> AccessTokenAsync(TokenRef row, CancellationToken cancellationToken) =>
        await tokens.FindAccessTokenAsync(row, cancellationToken) is { } access
            ? new Found(access.Grant, () => tokens.RevokeAccessTokenAsync(access.Ref, cancellationToken))
            : null;

    /// <summary>RFC 7009 §2.2: HTTP 200 whether or not there was anything to revoke; the body is ignored.</summary>
    private static OAuthResponse Revoked() => OAuthResponse.Empty(200);

    /// <summary>A stored token: whose it is, and how to revoke it.</summary>
    private sealed record Found(TokenGrant Grant, Func<Task> RevokeAsync);
}
