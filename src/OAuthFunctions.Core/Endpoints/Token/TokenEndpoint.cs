using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>
/// <c>POST /oauth2/access_token</c> (RFC 6749 §3.2, <c>provider.views.AccessToken</c>). Checks in the original's
/// order: method and body, then <c>grant_type</c> present and supported, then client authentication, then whether
/// the client may use the grant, then the grant's own rules.
/// </summary>
public sealed class TokenEndpoint(ClientAuthenticator authenticator, IEnumerable<IGrantHandler> grants, TokenIssuer issuer) : IOAuthEndpoint
{
    private readonly Dictionary<string, IGrantHandler> _grants = grants.ToDictionary(g => g.GrantType, StringComparer.Ordinal);

    public EndpointStyle Style => EndpointStyle.Api;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (FormParameters.CheckFormPost(request) is { } shapeError)
        {
            return OAuthResponse.Error(shapeError);
        }

        var grantType = FormParameters.Get(request.Form, "grant_type");
        if (grantType is null)
        {
            return OAuthResponse.Error(OAuthErrors.MissingGrantType);
        }

        if (!_grants.TryGetValue(grantType, out var handler))
        {
            return OAuthResponse.Error(OAuthErrors.UnsupportedGrant);
        }

        var authentication = await authenticator.AuthenticateAsync(request, cancellationToken);
        if (authentication.Client is not { } client)
        {
            return OAuthResponse.ClientError(authentication.Error!, authentication.BasicAttempted);
        }

        if (!client.Allows(grantType))
        {
            return OAuthResponse.Error(OAuthErrors.GrantTypeNotAllowed);
        }

        var result = await handler.HandleAsync(new TokenRequest(request, client), cancellationToken);
        return result.Failed ? OAuthResponse.Error(result.Error!) : issuer.Respond(result.Value!);
    }
}
