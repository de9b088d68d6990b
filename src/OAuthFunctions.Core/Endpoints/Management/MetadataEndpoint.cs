using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Endpoints.OpenIdConnect;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Management;

/// <summary>
/// <c>GET /.well-known/oauth-authorization-server</c> (RFC 8414 §3) and <c>GET /.well-known/openid-configuration</c>
/// (OpenID Connect Discovery 1.0 §4): one document, built from the live settings and advertising only what is served
/// (the implicit flow only when <c>ResponseTypes</c> includes <c>token</c>). No storage access.
/// </summary>
public sealed class MetadataEndpoint(OAuthOptions options, ScopeRegistry scopes) : IOAuthEndpoint
{
    public const string Path = "/.well-known/oauth-authorization-server";
    public const string OpenIdPath = "/.well-known/openid-configuration";
    public const string JwksPath = "/.well-known/jwks.json";

    /// <summary>The claims the ID token and UserInfo can carry (OpenID Connect Discovery 1.0 §3 <c>claims_supported</c>).</summary>
    public static IReadOnlyList<string> Claims { get; } =
        ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "name", "email", "email_verified"];

    public EndpointStyle Style => EndpointStyle.Api;

    public IReadOnlyList<string> Methods => EndpointMethods.Get;

    /// <summary>A browser app discovers the endpoints before it starts (RFC 8414 §3).</summary>
    public CorsAccess Cors => CorsAccess.PublicGet;

    public Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var issuer = request.Origin;
        var implicitFlow = options.ResponseTypes.Contains("token");
        var grantTypes = GrantTypes.Enabled(options.ResponseTypes);
        IReadOnlyList<string> clientAuth = ["client_secret_basic", "client_secret_post", "none"];
        var body = new MetadataBody(
            Issuer: issuer,
            AuthorizationEndpoint: issuer + "/oauth2/authorize",
            TokenEndpoint: issuer + "/oauth2/access_token",
            RevocationEndpoint: issuer + "/oauth2/revoke",
            IntrospectionEndpoint: issuer + "/oauth2/introspect",
            ScopesSupported: scopes.Supported,
            ResponseTypesSupported: options.ResponseTypes,
            ResponseModesSupported: implicitFlow ? ["query", "fragment"] : ["query"],
            GrantTypesSupported: grantTypes,
            TokenEndpointAuthMethodsSupported: clientAuth,
            RevocationEndpointAuthMethodsSupported: clientAuth,
            // Introspection is for resource servers, which are confidential clients.
            IntrospectionEndpointAuthMethodsSupported: ["client_secret_basic", "client_secret_post"],
            CodeChallengeMethodsSupported: [Pkce.S256],
            JwksUri: issuer + JwksPath,
            UserInfoEndpoint: issuer + UserInfoEndpoint.Path,
            EndSessionEndpoint: issuer + EndSessionEndpoint.Path,
            // OpenID Connect Discovery 1.0 §3: subjects are the same for every client ("public").
            SubjectTypesSupported: ["public"],
            // §3: RS256 MUST be listed; ES256 when new keys use it (docs/BEHAVIOUR.md §11).
            IdTokenSigningAlgValuesSupported: options.SigningAlgorithm == SigningAlgorithms.RS256 ? [SigningAlgorithms.RS256] : [options.SigningAlgorithm, SigningAlgorithms.RS256],
            ClaimsSupported: Claims,
            PromptValuesSupported: ["none", "login", "consent", "select_account"],
            // §3: request_uri_parameter_supported defaults to true, so its absence would claim support.
            RequestParameterSupported: false,
            RequestUriParameterSupported: false,
            ClaimsParameterSupported: false);
        return Task.FromResult(OAuthResponse.Json(200, body, OAuthJsonContext.Default.MetadataBody));
    }
}
