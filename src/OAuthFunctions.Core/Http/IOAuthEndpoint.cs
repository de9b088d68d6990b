using OAuthFunctions.Core.Cors;

namespace OAuthFunctions.Core.Http;

/// <summary>One protocol endpoint, host-agnostic: a request in, a response out.</summary>
public interface IOAuthEndpoint
{
    /// <summary>Whether errors outside the endpoint's own logic (plain HTTP, faults) are answered as JSON or as a page.</summary>
    EndpointStyle Style { get; }

    /// <summary>Which cross-origin requests get CORS headers (docs/BEHAVIOUR.md §11): none unless the endpoint says so.</summary>
    CorsAccess Cors => CorsAccess.None;

    Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken);
}
