using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>POST /oauth2/access_token</c> (GET answers <c>invalid_request</c>): the token endpoint (docs/BEHAVIOUR.md §6); <c>OPTIONS</c> for the CORS preflight (§12).</summary>
public sealed class AccessTokenFunction(EndpointRunner runner, TokenEndpoint endpoint)
{
    [Function("access_token")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "get", "put", "patch", "delete", "options", Route = "oauth2/access_token")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
