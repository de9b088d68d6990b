using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Cors;

/// <summary>
/// Cross-origin requests from browser apps (docs/BEHAVIOUR.md §12, Fetch standard §3.2): which origin, if any, an answer
/// lets read it, the answer to a preflight, and the headers every answer of a CORS endpoint carries. A request from any
/// other origin gets no CORS header and is otherwise answered exactly as without CORS: CORS only decides whether the
/// page may read the answer, never what the answer is.
/// </summary>
public sealed class CorsPolicy(IClientStore clients)
{
    /// <summary>
    /// Request headers a browser app may send (Fetch standard §3.2.3): <c>Authorization</c> for HTTP Basic client
    /// authentication, <c>Content-Type</c> for the form body (a safelisted value needs no permission, but a
    /// <c>charset</c> parameter or another type would).
    /// </summary>
    public const string AllowedHeaders = "Authorization, Content-Type";

    /// <summary>
    /// Response headers a page may read beyond the safelisted ones (Fetch standard §3.2.3): the challenge of a 401
    /// <c>invalid_client</c> and when to retry after a 503.
    /// </summary>
    public const string ExposedHeaders = "WWW-Authenticate, Retry-After";

    /// <summary>
    /// How long a browser may reuse a preflight answer (Chromium caps it at two hours). Reuse only skips the
    /// preflight: every actual answer is checked against the client's origins again, so a removed origin is refused at
    /// once regardless.
    /// </summary>
    public const string PreflightMaxAge = "600";

    /// <summary>
    /// The origin to answer with in <c>Access-Control-Allow-Origin</c>, or null for no CORS headers. Only an origin in
    /// serialized form counts (a browser never sends another; <c>null</c> never counts). A preflight has no body and so
    /// names no client: any origin some client allows passes, through the origin index (one point read, cached). The
    /// actual request of a client-authenticated endpoint names its client, whose own list then decides, so a page
    /// allowed for one client cannot read the answers given to another; a request naming no registered client (an
    /// error the page should be able to read) falls back to the index.
    /// </summary>
    public async Task<string?> AllowedOriginAsync(CorsAccess access, OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (access == CorsAccess.None || request.OriginHeader is not { } origin || !AllowedOrigins.IsCanonical(origin))
        {
            return null;
        }

        if (access == CorsAccess.ClientPost && !request.IsPreflight
            && ClientAuthenticator.NamedClientId(request) is { } clientId
            && await clients.FindAsync(clientId, cancellationToken) is { } client)
        {
            return AllowedOrigins.Allows(client, origin) ? origin : null;
        }

        return await clients.IsOriginAllowedAsync(origin, cancellationToken) ? origin : null;
    }

    /// <summary>
    /// The answer to a preflight from an allowed origin (Fetch standard, "CORS-preflight fetch": an ok status and the
    /// permissions). No
    /// <c>Access-Control-Allow-Credentials</c>: these endpoints read no cookie, and a browser app authenticates, if at
    /// all, with an <c>Authorization</c> header it sets itself, which is not a credential in the Fetch sense. Without the
    /// header a page that asks for credentials (<c>credentials: "include"</c>) cannot read the answer, so the
    /// server's own cookies (the sign-in) can never be ridden from another origin.
    /// </summary>
    public static OAuthResponse Preflight(CorsAccess access, string origin)
    {
        var response = OAuthResponse.Empty(204);
        response.Headers["Access-Control-Allow-Origin"] = origin;
        response.Headers["Access-Control-Allow-Methods"] = access == CorsAccess.PublicGet ? "GET" : "POST";
        response.Headers["Access-Control-Allow-Headers"] = AllowedHeaders;
        response.Headers["Access-Control-Max-Age"] = PreflightMaxAge;
        return response;
    }

    /// <summary>
    /// Adds what every answer of a CORS endpoint carries: <c>Vary: Origin</c> always, since the answer's headers
    /// depend on <c>Origin</c> and a cache must never give one origin's answer to another (Fetch standard §3.2, "CORS
    /// protocol and HTTP caches"); the allowed origin (never <c>*</c>) and the readable headers when there is one.
    /// </summary>
    public static void Decorate(OAuthResponse response, CorsAccess access, string? allowedOrigin)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (access == CorsAccess.None)
        {
            return;
        }

        response.Headers["Vary"] = "Origin";
        if (allowedOrigin is not null)
        {
            response.Headers["Access-Control-Allow-Origin"] = allowedOrigin;
            response.Headers["Access-Control-Expose-Headers"] = ExposedHeaders;
        }
    }
}
