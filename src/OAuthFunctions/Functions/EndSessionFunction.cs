using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.OpenIdConnect;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET|POST /oauth2/end_session</c>: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).</summary>
public sealed class EndSessionFunction(EndpointRunner runner, EndSessionEndpoint endpoint)
{
    [Function("end_session")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "oauth2/end_session")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
