using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace OAuthFunctions.ResourceServer;

/// <summary>
/// An authorization requirement met when the token was granted a scope (<see cref="OAuthFunctionsClaimTypes.Scope"/>).
/// When it is not met it notes the scope on the request, so that the 403 names it
/// (RFC 6750 §3: <c>insufficient_scope</c> with the <c>scope</c> attribute). Its own handler: nothing to register.
/// </summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    internal const string MissingScopesItem = "OAuthFunctions.ResourceServer.MissingScopes";

    public ScopeRequirement(string scope)
    {
        CheckScopeToken(scope);
        Scope = scope;
    }

    public string Scope { get; }

    /// <summary>RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).</summary>
    internal static void CheckScopeToken(string scope)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        if (scope.Any(c => c is <= ' ' or '"' or '\\' or > '~'))
        {
            throw new ArgumentException("A scope is one scope-token (RFC 6749 §3.3): no spaces, quotes or backslashes.", nameof(scope));
        }
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.User.HasClaim(OAuthFunctionsClaimTypes.Scope, requirement.Scope))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http)
        {
            var missing = http.Items[MissingScopesItem] as List<string> ?? [];
            if (!missing.Contains(requirement.Scope, StringComparer.Ordinal))
            {
                missing.Add(requirement.Scope);
            }

            http.Items[MissingScopesItem] = missing;
        }

        return Task.CompletedTask;
    }
}
