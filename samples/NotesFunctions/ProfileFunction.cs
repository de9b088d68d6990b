using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.ResourceServer;

namespace NotesFunctions;

/// <summary>
/// <c>GET /api/profile</c>: protected by <see cref="BearerTokenMiddleware"/> (scope "read"), so by the time it runs
/// <c>HttpContext.User</c> is the token's principal and the function has nothing to check.
/// </summary>
public static class ProfileFunction
{
    [Function("profile")]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "profile")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = request.HttpContext.User;
        return new OkObjectResult(new
        {
            name = user.Identity?.Name,
            sub = user.FindFirst(OAuthFunctionsClaimTypes.Subject)?.Value,
            client_id = user.FindFirst(OAuthFunctionsClaimTypes.ClientId)?.Value,
            scopes = user.FindAll(OAuthFunctionsClaimTypes.Scope).Select(claim => claim.Value),
        });
    }
}
