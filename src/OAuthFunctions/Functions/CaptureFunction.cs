using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET|POST /oauth2/authorize</c>: keeps the request as flow state (docs/BEHAVIOUR.md §5).</summary>
public sealed class CaptureFunction(EndpointRunner runner, CaptureEndpoint endpoint)
{
    [Function("capture")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "oauth2/authorize")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
