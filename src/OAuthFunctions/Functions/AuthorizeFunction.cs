using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET|POST /oauth2/authorize/confirm</c>: validation, consent and decision (docs/BEHAVIOUR.md §5).</summary>
public sealed class AuthorizeFunction(EndpointRunner runner, AuthorizeEndpoint endpoint)
{
    [Function("authorize")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "oauth2/authorize/confirm")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
