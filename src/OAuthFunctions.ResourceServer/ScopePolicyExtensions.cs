using Microsoft.AspNetCore.Authorization;

namespace OAuthFunctions.ResourceServer;

/// <summary>Scope policies: <c>options.AddPolicy("read", policy => policy.RequireScope("read"))</c>.</summary>
public static class ScopePolicyExtensions
{
    /// <summary>
    /// Requires a token granted <paramref name="scope"/>: without a valid token the answer is 401, with one that lacks
    /// the scope 403 <c>insufficient_scope</c> naming it. Call it several times to require several scopes.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, string scope)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.AddRequirements(new ScopeRequirement(scope));
    }
}
