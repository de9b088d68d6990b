namespace OAuthFunctions.ResourceServer;

/// <summary>What became of a request's bearer token.</summary>
public enum BearerTokenStatus
{
    /// <summary>The server says the access token is active: 200.</summary>
    Valid,

    /// <summary>No bearer token (no <c>Authorization</c> header, or another scheme): 401 with a bare challenge (RFC 6750 §3.1).</summary>
    Missing,

    /// <summary>A malformed or oversized <c>Authorization</c> header, or several: 401 <c>invalid_request</c>.</summary>
    Malformed,

    /// <summary>Unknown, expired, revoked, or not an access token: 401 <c>invalid_token</c>.</summary>
    Invalid,

    /// <summary>A valid token without a scope the resource requires: 403 <c>insufficient_scope</c>.</summary>
    InsufficientScope,

    /// <summary>The server could not be asked (down, slow, refusing the API's credentials): 503, no token accepted.</summary>
    Unavailable,
}
