using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.Core.Endpoints.OpenIdConnect;
using OAuthFunctions.Http;

namespace OAuthFunctions.Functions;

/// <summary><c>GET|POST /oauth2/userinfo</c>: claims about the person behind a bearer token (OpenID Connect Core §5.3).</summary>
public sealed class UserInfoFunction(EndpointRunner runner, UserInfoEndpoint endpoint)
{
    [Function("userinfo")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "oauth2/userinfo")] HttpRequest request,
        FunctionContext context) =>
        runner.RunAsync(endpoint, request, context);
}
