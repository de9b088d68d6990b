using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Signing;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>
/// <c>POST /oauth2/access_token</c> (RFC 6749 §3.2, <c>provider.views.AccessToken</c>). Checks in django-oauth2-provider's
/// order: method and body, then <c>grant_type</c> present and supported, then client authentication, then whether
/// the client may use the grant, then the grant's own rules. The grant's first storage read (the code, the refresh token's
/// family) starts once the request's shape is accepted, alongside the client read (docs/PERFORMANCE.md, "Sequential
/// depth"); nothing is written before the client has authenticated.
/// </summary>
public sealed class TokenEndpoint(ClientAuthenticationStep clientAuthentication, IEnumerable<IGrantHandler> grants, TokenIssuer issuer, SignedTokens signedTokens) : IOAuthEndpoint
{
    private readonly Dictionary<string, IGrantHandler> _grants = grants.ToDictionary(g => g.GrantType, StringComparer.Ordinal);

    public EndpointStyle Style => EndpointStyle.Api;

    public IReadOnlyList<string> Methods => EndpointMethods.Post;

    /// <summary>Browser apps (public clients with PKCE) redeem codes and refresh tokens from their own origin.</summary>
    public CorsAccess Cors => CorsAccess.ClientPost;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ReadAhead? readAhead = null;
        var authenticated = await clientAuthentication.RunAsync(
            request,
            cancellationToken,
            before: GrantTypeError,
            readAhead: shaped => readAhead = _grants[FormParameters.Get(shaped.Form, "grant_type")!].StartReadAhead(shaped, cancellationToken));
        if (authenticated.Client is not { } client)
        {
            return authenticated.Refusal!;
        }

        var grantType = FormParameters.Get(request.Form, "grant_type")!;
        if (!client.Allows(grantType))
        {
            return OAuthResponse.Error(OAuthErrors.GrantTypeNotAllowed);
        }

        var result = await _grants[grantType].HandleAsync(new TokenRequest(request, client, readAhead), cancellationToken);
        if (result.Failed)
        {
            return OAuthResponse.Error(result.Error!);
        }

        // After the commit: a JWT access token for a client registered for them, and the ID token of an OpenID
        // Connect grant (signed from memory: no storage request).
        return issuer.Respond(await signedTokens.CompleteAsync(result.Value!, client, request.Origin, cancellationToken));
    }

    /// <summary>Before the client is authenticated, as django-oauth2-provider checked: a grant type present and supported.</summary>
    private OAuthError? GrantTypeError(OAuthRequest request) =>
        FormParameters.Get(request.Form, "grant_type") switch
        {
            null => OAuthErrors.MissingGrantType,
            var grantType when !_grants.ContainsKey(grantType) => OAuthErrors.UnsupportedGrant,
            _ => null,
        };
}
