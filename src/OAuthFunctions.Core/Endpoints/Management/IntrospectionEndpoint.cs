using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Management;

/// <summary>
/// <c>POST /oauth2/introspect</c> (RFC 7662). Callers are registered confidential clients (resource servers), so
/// the endpoint cannot be used to probe tokens anonymously (§4). Anything not currently valid is just
/// <c>{"active":false}</c> (§2.2). Storage cost: client read (none when cached) and one point read, which runs alongside
/// the client read (<see cref="ReadAhead"/>): one round trip, cached or not. The answer does not depend on which
/// resource server asks, so it is prepared while the caller is authenticated and given only if it authenticates.
/// </summary>
public sealed class IntrospectionEndpoint(ClientAuthenticationStep clientAuthentication, ITokenStore tokens, PresentedAccessTokens accessTokens, ScopeRegistry scopes, TimeProvider time) : IOAuthEndpoint
{
    private static readonly IntrospectionBody Inactive = new(false);

    public EndpointStyle Style => EndpointStyle.Api;

    public IReadOnlyList<string> Methods => EndpointMethods.Post;

    /// <summary>
    /// Never CORS: its callers are resource servers, confidential clients calling from a server; a page that could read
    /// it would hold a secret a browser cannot keep (RFC 6749 §2.1).
    /// </summary>
    public CorsAccess Cors => CorsAccess.None;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ReadAhead? answer = null;

        // RFC 7662 §2.1: the caller authenticates; only confidential clients (resource servers) may.
        var authenticated = await clientAuthentication.RunAsync(
            request,
            cancellationToken,
            readAhead: shaped => answer = StartAnswer(shaped, cancellationToken),
            confidentialOnly: true,
            publicClientError: OAuthErrors.IntrospectionRequiresConfidentialClient);
        if (authenticated.Client is null)
        {
            return authenticated.Refusal!;
        }

        var value = FormParameters.Get(request.Form, "token");
        if (value is null)
        {
            return OAuthResponse.Error(OAuthErrors.MissingToken);
        }

        return Answer(await ReadAhead.ResultAsync<IntrospectionBody>(answer, value, () => DescribeAsync(value, request.Origin, cancellationToken)) ?? Inactive);
    }

    /// <summary>
    /// Only a token in this server's own format is read ahead: it costs one point read named by the string itself. An
    /// imported token's index read, and a JWT's signature check, wait until the caller has authenticated.
    /// </summary>
    private ReadAhead? StartAnswer(OAuthRequest request, CancellationToken cancellationToken) =>
        FormParameters.Get(request.Form, "token") is { } value && TokenHandle.TryParse(value, out _)
            ? ReadAhead.Start<IntrospectionBody>(value, () => DescribeAsync(value, request.Origin, cancellationToken))
            : null;

    private async Task<IntrospectionBody?> DescribeAsync(string value, string issuer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // RFC 9068 access tokens are described from the row their jti names, as opaque ones are.
        if (Jws.LooksLikeJws(value))
        {
            return await accessTokens.LocateJwtAsync(value, issuer, cancellationToken) is { } row
                ? Describe(await tokens.FindAccessTokenAsync(row, cancellationToken), now, issuer)
                : Inactive;
        }

        return await PresentedToken.LocateAsync(value, tokens, time, cancellationToken) switch
        {
            { Family: { Family: { } family } handle } => Describe(await tokens.FindFamilyAsync(family, cancellationToken), handle, now, issuer),
            { Row: { Kind: TokenKind.AccessToken } row } => Describe(await tokens.FindAccessTokenAsync(row, cancellationToken), now, issuer),
            { Row: { Kind: TokenKind.RefreshToken } row } => Describe(await tokens.FindLegacyRefreshTokenAsync(row, cancellationToken), now, issuer),
            _ => Inactive,
        };
    }

    private IntrospectionBody Describe(StoredAccessToken? token, DateTimeOffset now, string issuer) =>
        token is null || token.Grant.IsExpired(now) ? Inactive : Active(token.Grant, TokenIssuer.BearerType, issuer);

    /// <summary>A refresh token is active only while it is its family's live one (RFC 7662 §2.2: revoked or rotated is inactive).</summary>
    private IntrospectionBody Describe(StoredFamily? family, TokenHandle presented, DateTimeOffset now, string issuer) =>
        family is null || family.Revoked || !family.IsCurrent(presented) || family.Grant.IsExpired(now) ? Inactive : Active(family.Grant, tokenType: null, issuer);

    private IntrospectionBody Describe(StoredLegacyRefreshToken? token, DateTimeOffset now, string issuer) =>
        token is null || token.Rotated || token.Grant.IsExpired(now) ? Inactive : Active(token.Grant, tokenType: null, issuer);

    private IntrospectionBody Active(TokenGrant grant, string? tokenType, string issuer) => new(
        Active: true,
        Scope: scopes.Format(grant.Scope),
        ClientId: grant.ClientId,
        Username: grant.Username,
        TokenType: tokenType,
        Exp: grant.ExpiresAt?.ToUnixTimeSeconds(),
        Iat: grant.IssuedAt.ToUnixTimeSeconds(),
        // The subject is the resource owner, or the client itself for client_credentials tokens.
        Sub: grant.UserId ?? grant.ClientId,
        Iss: issuer);

    private static OAuthResponse Answer(IntrospectionBody body) =>
        OAuthResponse.Json(200, body, OAuthJsonContext.Default.IntrospectionBody);
}
