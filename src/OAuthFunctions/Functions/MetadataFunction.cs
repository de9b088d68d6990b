using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Management;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET /.well-known/oauth-authorization-server</c>: server metadata (RFC 8414); <c>OPTIONS</c> for the CORS preflight (docs/BEHAVIOUR.md §12).</summary>
public sealed class MetadataFunction(EndpointRunner runner, MetadataEndpoint endpoint)
{
    [Function("metadata")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "options", Route = ".well-known/oauth-authorization-server")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
