using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using OAuthFunctions.ResourceServer;

namespace NotesFunctions;

/// <summary>
/// The other way to protect functions: a worker middleware checks the bearer token before the function runs, answers
/// the RFC 6750 401/403 (or 503) itself, and otherwise hands the function a request whose <c>HttpContext.User</c> is
/// the token's principal. It applies to the functions named in <see cref="RequiredScopes"/>; the others run untouched.
/// </summary>
internal sealed class BearerTokenMiddleware(BearerTokenValidator validator) : IFunctionsWorkerMiddleware
{
    /// <summary>Function name → the scope its token must have been granted.</summary>
    public static readonly IReadOnlyDictionary<string, string> RequiredScopes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["profile"] = "read",
    };

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        // With the ASP.NET Core integration an HTTP-triggered invocation carries the real HttpContext.
        if (context.GetHttpContext() is not { } http || !RequiredScopes.TryGetValue(context.FunctionDefinition.Name, out var scope))
        {
            await next(context);
            return;
        }

        var result = (await validator.ValidateAsync(http.Request.Headers.Authorization, http.RequestAborted)).RequireScope(scope);
        if (!result.Succeeded)
        {
            await WriteRefusalAsync(http.Response, result);
            return;
        }

        http.User = result.Principal!;
        await next(context);
    }

    /// <summary>RFC 6750 §3 (as NotesFunction does it inline): the challenge says why (no token, invalid_token, insufficient_scope); a 503 says when to retry.</summary>
    private static Task WriteRefusalAsync(HttpResponse response, BearerTokenResult result)
    {
        response.StatusCode = result.StatusCode;
        if (result.WwwAuthenticate is { } challenge)
        {
            response.Headers.WWWAuthenticate = challenge;
        }

        if (result.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter;
        }

        return Task.CompletedTask;
    }
}
