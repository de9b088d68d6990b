using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET /oauth2/redirect</c>: delivers the result to the client (docs/BEHAVIOUR.md §5).</summary>
public sealed class RedirectFunction(EndpointRunner runner, RedirectEndpoint endpoint)
{
    [Function("redirect")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "oauth2/redirect")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
