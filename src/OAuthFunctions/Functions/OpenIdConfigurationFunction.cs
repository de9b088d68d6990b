using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.Management;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET /.well-known/openid-configuration</c>: OpenID Provider metadata (OpenID Connect Discovery 1.0 §4), the same document as RFC 8414's.</summary>
public sealed class OpenIdConfigurationFunction(EndpointRunner runner, MetadataEndpoint endpoint)
{
    [Function("openid_configuration")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "options", Route = ".well-known/openid-configuration")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
