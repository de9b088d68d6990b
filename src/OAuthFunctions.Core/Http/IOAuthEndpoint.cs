namespace OAuthFunctions.Core.Http;

/// <summary>One protocol endpoint, host-agnostic: a request in, a response out.</summary>
public interface IOAuthEndpoint
{
    /// <summary>Whether errors outside the endpoint's own logic (plain HTTP, faults) are answered as JSON or as a page.</summary>
    EndpointStyle Style { get; }

    Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken);
}
