using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
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
public sealed class IntrospectionEndpoint(ClientAuthenticationStep clientAuthentication, ITokenStore tokens, ScopeRegistry scopes, TimeProvider time) : IOAuthEndpoint
{
    private static readonly IntrospectionBody Inactive = new(false);

    public EndpointStyle Style => EndpointStyle.Api;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ReadAhead? answer = null;

        // RFC 7662 §2.1: the caller authenticates; only confidential clients (resource servers) may.
        var authenticated = await clientAuthentication.RunAsync(
            request,
            cancellationToken,
            before: shaped =>
            {
                answer = StartAnswer(shaped, cancellationToken);
                return null;
            },
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

    private ReadAhead? StartAnswer(OAuthRequest request, CancellationToken cancellationToken) =>
        FormParameters.Get(request.Form, "token") is { } value
            ? ReadAhead.Start<IntrospectionBody>(value, () => DescribeAsync(value, request.Origin, cancellationToken))
            : null;

    private async Task<IntrospectionBody?> DescribeAsync(string value, string issuer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!TokenHandle.TryParse(value, out var handle) || handle!.ExpiredBefore(now))
        {
            return Inactive;
        }

        return handle switch
        {
            { Kind: TokenKind.AccessToken } => Describe(await tokens.FindAccessTokenAsync(handle, cancellationToken), now, issuer),
            { Family: { } family } => Describe(await tokens.FindFamilyAsync(family, cancellationToken), handle, now, issuer),
            { Kind: TokenKind.RefreshToken } => Describe(await tokens.FindLegacyRefreshTokenAsync(handle.Ref, cancellationToken), now, issuer),
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
