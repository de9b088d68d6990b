using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OAuthFunctions.ResourceServer;

namespace NotesFunctions;

/// <summary>
/// <c>GET /api/notes</c> with a bearer token granted the scope "read". Through the ASP.NET Core integration the
/// function gets the real <see cref="HttpRequest"/>; the validator needs only its <c>Authorization</c> header.
/// </summary>
public sealed class NotesFunction(BearerTokenValidator validator)
{
    [Function("notes")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "notes")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = (await validator.ValidateAsync(request.Headers.Authorization, request.HttpContext.RequestAborted)).RequireScope("read");
        if (!result.Succeeded)
        {
            // RFC 6750 §3: the challenge says why (no token, invalid_token, insufficient_scope); 503 says when to retry.
            if (result.WwwAuthenticate is { } challenge)
            {
                request.HttpContext.Response.Headers.WWWAuthenticate = challenge;
            }

            if (result.RetryAfter is { } retryAfter)
            {
                request.HttpContext.Response.Headers.RetryAfter = retryAfter;
            }

            return new StatusCodeResult(result.StatusCode);
        }

        var user = result.Principal!;
        return new OkObjectResult(new
        {
            owner = user.Identity?.Name ?? user.FindFirst(OAuthFunctionsClaimTypes.ClientId)?.Value,
            scopes = user.FindAll(OAuthFunctionsClaimTypes.Scope).Select(claim => claim.Value),
            notes = Array.Empty<string>(),
        });
    }
}
