namespace OAuthFunctions.Core.Cors;

/// <summary>Which cross-origin requests an endpoint answers with CORS headers (docs/BEHAVIOUR.md §12).</summary>
public enum CorsAccess
{
    /// <summary>
    /// Never: the pages (a page read by another origin's script would hand it the anti-forgery token) and
    /// introspection (for resource servers, which are confidential clients and call it from a server, not a browser).
    /// </summary>
    None,

    /// <summary>
    /// A client-authenticated <c>POST</c> (token, revocation): the client the request names decides with its allowed
    /// origins; a request that names no registered client, any origin some client allows.
    /// </summary>
    ClientPost,

    /// <summary>A public document read with <c>GET</c> (metadata): any origin some client allows.</summary>
    PublicGet,
}
