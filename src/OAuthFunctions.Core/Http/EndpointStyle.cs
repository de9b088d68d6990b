namespace OAuthFunctions.Core.Http;

/// <summary>How an endpoint answers errors it did not produce itself.</summary>
public enum EndpointStyle
{
    /// <summary>JSON error bodies (RFC 6749 §5.2): token, revocation, introspection, metadata, redirect.</summary>
    Api,

    /// <summary>HTML pages seen by a person: login, logout, capture, authorize.</summary>
    Page,
}
