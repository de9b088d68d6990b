using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Management;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>POST /oauth2/introspect</c>: token introspection (RFC 7662).</summary>
public sealed class IntrospectFunction(EndpointRunner runner, IntrospectionEndpoint endpoint)
{
    [Function("introspect")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "get", "put", "patch", "delete", Route = "oauth2/introspect")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
