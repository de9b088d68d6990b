using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Management;

/// <summary>
/// <c>GET /.well-known/oauth-authorization-server</c> (RFC 8414 §3), built from the live settings and advertising
/// only what is served: the implicit flow only when <c>ResponseTypes</c> includes <c>token</c>. No storage access.
/// </summary>
public sealed class MetadataEndpoint(OAuthOptions options, ScopeRegistry scopes) : IOAuthEndpoint
{
    public const string Path = "/.well-known/oauth-authorization-server";

    public EndpointStyle Style => EndpointStyle.Api;

    /// <summary>A browser app discovers the endpoints before it starts (RFC 8414 §3).</summary>
    public CorsAccess Cors => CorsAccess.PublicGet;

    public Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsGet)
        {
            return Task.FromResult(OAuthResponse.Error(Errors.OAuthErrors.MalformedRequest));
        }

        var issuer = request.Origin;
        var implicitFlow = options.ResponseTypes.Contains("token");
        IReadOnlyList<string> grantTypes = implicitFlow
            ? GrantTypes.All
            : [.. GrantTypes.All.Where(g => g != GrantTypes.Implicit)];
        IReadOnlyList<string> clientAuth = ["client_secret_basic", "client_secret_post", "none"];
        var body = new MetadataBody(
            Issuer: issuer,
            AuthorizationEndpoint: issuer + "/oauth2/authorize",
            TokenEndpoint: issuer + "/oauth2/access_token",
            RevocationEndpoint: issuer + "/oauth2/revoke",
            IntrospectionEndpoint: issuer + "/oauth2/introspect",
            ScopesSupported: scopes.Defined,
            ResponseTypesSupported: options.ResponseTypes,
            ResponseModesSupported: implicitFlow ? ["query", "fragment"] : ["query"],
            GrantTypesSupported: grantTypes,
            TokenEndpointAuthMethodsSupported: clientAuth,
            RevocationEndpointAuthMethodsSupported: clientAuth,
            // Introspection is for resource servers, which are confidential clients.
            IntrospectionEndpointAuthMethodsSupported: ["client_secret_basic", "client_secret_post"],
            CodeChallengeMethodsSupported: [Pkce.S256]);
        return Task.FromResult(OAuthResponse.Json(200, body, OAuthJsonContext.Default.MetadataBody));
    }
}
