using OAuthFunctions.Core.Cors;

namespace OAuthFunctions.Core.Http;

/// <summary>One protocol endpoint, host-agnostic: a request in, a response out.</summary>
public interface IOAuthEndpoint
{
    /// <summary>Whether errors outside the endpoint's own logic (plain HTTP, faults) are answered as JSON or as a page.</summary>
    EndpointStyle Style { get; }

    /// <summary>
    /// The methods the endpoint serves (docs/BEHAVIOUR.md §1), upper-case; the <c>Allow</c> header names them. Any other
    /// is refused before the endpoint runs (<see cref="EndpointMethods"/>).
    /// </summary>
    IReadOnlyList<string> Methods { get; }

    /// <summary>Which cross-origin requests get CORS headers (docs/BEHAVIOUR.md §12): none unless the endpoint says so.</summary>
    CorsAccess Cors => CorsAccess.None;

    Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken);
}
