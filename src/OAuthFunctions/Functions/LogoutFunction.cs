using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>POST /oauth2/logout</c>: ends the login session (docs/BEHAVIOUR.md §5).</summary>
public sealed class LogoutFunction(EndpointRunner runner, LogoutEndpoint endpoint)
{
    [Function("logout")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "get", "put", "patch", "delete", Route = "oauth2/logout")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
