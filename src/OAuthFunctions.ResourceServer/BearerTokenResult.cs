using System.Security.Claims;
using System.Text;

namespace OAuthFunctions.ResourceServer;

/// <summary>
/// The outcome of validating a request's bearer token, with the HTTP answer it calls for (RFC 6750 §3): a host that is
/// not ASP.NET Core's authentication (an Azure Functions app, a gRPC interceptor) writes <see cref="StatusCode"/>,
/// <see cref="WwwAuthenticate"/> and <see cref="RetryAfter"/> itself.
/// </summary>
public sealed class BearerTokenResult
{
    private readonly string? _realm;
    private readonly IReadOnlyList<string> _missingScopes;

    internal BearerTokenResult(BearerTokenStatus status, ClaimsPrincipal? principal, string? realm, IReadOnlyList<string>? missingScopes = null)
    {
        Status = status;
        Principal = principal;
        _realm = realm;
        _missingScopes = missingScopes ?? [];
    }

    public BearerTokenStatus Status { get; }

    /// <summary>The token's principal (<see cref="OAuthFunctionsClaimTypes"/>) when it is valid.</summary>
    public ClaimsPrincipal? Principal { get; }

    public bool Succeeded => Status == BearerTokenStatus.Valid;

    /// <summary>200, 401, 403, or 503 when the server could not be asked (a token is never refused as invalid for that).</summary>
    public int StatusCode => Status switch
    {
        BearerTokenStatus.Valid => 200,
        BearerTokenStatus.InsufficientScope => 403,
        BearerTokenStatus.Unavailable => 503,
        _ => 401,
    };

    /// <summary>The RFC 6750 §3.1 error code, or null (valid, no token, unavailable).</summary>
    public string? Error => Status switch
    {
        BearerTokenStatus.Malformed => "invalid_request",
        BearerTokenStatus.Invalid => "invalid_token",
        BearerTokenStatus.InsufficientScope => "insufficient_scope",
        _ => null,
    };

    /// <summary>A fixed description of the error: nothing from the request or the server's answer.</summary>
    public string? ErrorDescription => Status switch
    {
        BearerTokenStatus.Malformed => "The Authorization header is malformed.",
        BearerTokenStatus.Invalid => "The access token is invalid, expired or revoked.",
        BearerTokenStatus.InsufficientScope => "The access token does not have the scope this resource requires.",
        BearerTokenStatus.Unavailable => "Tokens cannot be validated now; try again shortly.",
        _ => null,
    };

    /// <summary>
    /// The <c>WWW-Authenticate</c> value for a 401 or 403 (RFC 6750 §3): a bare <c>Bearer</c> challenge when no token
    /// was sent (§3.1: no error code then), otherwise the error, its description and, for
    /// <c>insufficient_scope</c>, the scope needed. Null for 200 and 503.
    /// </summary>
    public string? WwwAuthenticate
    {
        get
        {
            if (Status is BearerTokenStatus.Valid or BearerTokenStatus.Unavailable)
            {
                return null;
            }

            var parameters = new List<string>();
            if (_realm is not null)
            {
                parameters.Add($"realm={Quoted(_realm)}");
            }

            if (Error is { } error)
            {
                parameters.Add($"error={Quoted(error)}");
                parameters.Add($"error_description={Quoted(ErrorDescription!)}");
            }

            if (_missingScopes.Count > 0)
            {
                parameters.Add($"scope={Quoted(string.Join(' ', _missingScopes))}");
            }

            return parameters.Count == 0 ? "Bearer" : "Bearer " + string.Join(", ", parameters);
        }
    }

    /// <summary>Seconds to wait before retrying, for a 503 (RFC 9110 §10.2.3); null otherwise.</summary>
    public string? RetryAfter => Status == BearerTokenStatus.Unavailable ? "5" : null;

    /// <summary>Whether the valid token was granted <paramref name="scope"/>.</summary>
    public bool HasScope(string scope) =>
        Principal?.HasClaim(OAuthFunctionsClaimTypes.Scope, scope) == true;

    /// <summary>
    /// This result, or 403 <c>insufficient_scope</c> naming the scope when the token is valid but lacks it
    /// (RFC 6750 §3.1). Any other result is returned unchanged: a missing token stays a 401.
    /// </summary>
    public BearerTokenResult RequireScope(string scope)
    {
        ScopeRequirement.CheckScopeToken(scope);
        return !Succeeded || HasScope(scope) ? this : new(BearerTokenStatus.InsufficientScope, Principal, _realm, [scope]);
    }

    internal BearerTokenResult WithMissingScopes(IReadOnlyList<string> scopes) => new(BearerTokenStatus.InsufficientScope, Principal, _realm, scopes);

    /// <summary>RFC 9110 §5.6.4 quoted-string.</summary>
    private static string Quoted(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }
}
