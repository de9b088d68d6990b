using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.OpenIdConnect;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET /.well-known/jwks.json</c>: the public signing keys (RFC 7517 §5).</summary>
public sealed class JwksFunction(EndpointRunner runner, JwksEndpoint endpoint)
{
    [Function("jwks")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "options", Route = ".well-known/jwks.json")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
