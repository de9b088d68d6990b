using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET|POST /oauth2/login</c>: the sign-in page (docs/BEHAVIOUR.md §5).</summary>
public sealed class LoginFunction(EndpointRunner runner, LoginEndpoint endpoint)
{
    [Function("login")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "oauth2/login")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
