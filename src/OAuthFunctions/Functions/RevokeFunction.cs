using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Management;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>POST /oauth2/revoke</c>: token revocation (RFC 7009); <c>OPTIONS</c> for the CORS preflight (docs/BEHAVIOUR.md §12).</summary>
public sealed class RevokeFunction(EndpointRunner runner, RevocationEndpoint endpoint)
{
    [Function("revoke")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "get", "put", "patch", "delete", "options", Route = "oauth2/revoke")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
