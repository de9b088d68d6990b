using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Signing;

namespace OAuthFunctions.Core.Endpoints.OpenIdConnect;

/// <summary>
/// <c>GET /.well-known/jwks.json</c>, the metadata's <c>jwks_uri</c> (RFC 8414 §2, RFC 7517 §5): the public signing keys,
/// including the next key before it signs and old keys until what they signed has expired. From memory; on a cold
/// instance one point read.
/// </summary>
public sealed class JwksEndpoint(SigningKeys keys, TimeProvider time) : IOAuthEndpoint
{
    public EndpointStyle Style => EndpointStyle.Api;

    public IReadOnlyList<string> Methods => EndpointMethods.Get;

    /// <summary>A browser app verifies ID tokens with these keys (OpenID Connect Discovery §3, jwks_uri).</summary>
    public CorsAccess Cors => CorsAccess.PublicGet;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var set = await keys.CurrentAsync(cancellationToken);
        var body = new JwksBody([.. set.PublishedAt(time.GetUtcNow()).Select(k => k.PublicJwk)]);
        return OAuthResponse.Json(200, body, OAuthJsonContext.Default.JwksBody);
    }
}
