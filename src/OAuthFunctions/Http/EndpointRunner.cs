using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Cors;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Http;

/// <summary>
/// The one middleware every HTTP function goes through: refuses a method the endpoint does not serve (405, or
/// django-oauth2-provider's 400 for a GET to a POST-only endpoint, with <c>Allow</c>), builds the request (refusing
/// one too large to read with 413 or 414), decides CORS for the endpoints that declare it
/// (<see cref="IOAuthEndpoint.Cors"/>), refuses plain HTTP when <c>EnforceSecure</c> is on, answers a preflight from
/// an allowed origin, runs the endpoint, turns a storage outage into 503 <c>temporarily_unavailable</c> and any other
/// exception into 500 <c>server_error</c> (the detail goes to the log, never to the body), and adds the
/// <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c> headers (and the CORS headers) to every response.
/// </summary>
public sealed partial class EndpointRunner(OAuthOptions options, PageRenderer pages, CorsPolicy cors, ILogger<EndpointRunner> logger)
{
    /// <param name="endpoint">The endpoint to run.</param>
    /// <param name="request">The HTTP request.</param>
    /// <param name="context">
    /// The Functions invocation (null on the local host). Deliberately not read: its binding data mixes the query string
    /// and a JSON body in with the headers, so nothing in it may decide who the client is (see <see cref="ClientConnection"/>).
    /// </param>
    public async Task<IActionResult> RunAsync(IOAuthEndpoint endpoint, HttpRequest request, FunctionContext? context)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(request);
        var aborted = request.HttpContext.RequestAborted;
        OAuthResponse response;
        string? allowedOrigin = null;
        try
        {
            // A method the endpoint does not serve is refused before its body is read: the function's trigger lists
            // more methods than the endpoint serves so that the answer is this one, not the host's empty 405. An
            // OPTIONS to an endpoint with CORS may be a preflight: CORS decides first, below.
            var refused = EndpointMethods.Refuse(endpoint, request.Method);
            var maybePreflight = endpoint.Cors != CorsAccess.None && HttpMethods.IsOptions(request.Method);
            if (refused is not null && !maybePreflight)
            {
                return Finish(WrongMethod(endpoint, refused), endpoint, allowedOrigin: null);
            }

            var read = await HttpRequestAdapter.ReadAsync(request, options, aborted);

            // Decided first, so that every answer the page's request gets, errors included, is readable by the page.
            if (read.Value is { } readRequest)
            {
                allowedOrigin = await cors.AllowedOriginAsync(endpoint.Cors, readRequest, aborted);
            }

            // OAUTH_ENFORCE_SECURE: every endpoint refuses plain HTTP. A preflight from an origin no client allows, or an
            // OPTIONS that is no preflight, goes to the endpoint like any other method it does not serve.
            response = read.Value is not { } oauthRequest ? Fail(endpoint.Style, read.Error!)
                : options.EnforceSecure && !oauthRequest.IsSecure ? Fail(endpoint.Style, OAuthErrors.SecureConnectionRequired)
                : oauthRequest.IsPreflight && allowedOrigin is not null ? CorsPolicy.Preflight(endpoint.Cors, allowedOrigin)
                : refused is not null ? WrongMethod(endpoint, refused)
                : await endpoint.HandleAsync(oauthRequest, aborted);
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageUnavailable(logger, endpoint.GetType().Name, ex);
            response = Fail(endpoint.Style, OAuthErrors.StorageUnavailable);
            response.Headers["Retry-After"] = "5";
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; nobody reads this answer.
            response = OAuthResponse.Empty(400);
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, endpoint.GetType().Name, ex);
            response = Fail(endpoint.Style, OAuthErrors.ServerFault);
        }

        return Finish(response, endpoint, allowedOrigin);
    }

    /// <summary>RFC 6749 §5.1: responses with tokens or credentials carry no-store; we send it on every response.</summary>
    private static OAuthActionResult Finish(OAuthResponse response, IOAuthEndpoint endpoint, string? allowedOrigin)
    {
        response.Headers["Cache-Control"] = "no-store";
        response.Headers["Pragma"] = "no-cache";
        CorsPolicy.Decorate(response, endpoint.Cors, allowedOrigin);
        return new OAuthActionResult(response);
    }

    private OAuthResponse WrongMethod(IOAuthEndpoint endpoint, OAuthError refused) =>
        Fail(endpoint.Style, refused).WithHeader("Allow", EndpointMethods.Allow(endpoint));

    private OAuthResponse Fail(EndpointStyle style, OAuthError error) =>
        style == EndpointStyle.Api ? OAuthResponse.Error(error) : pages.Error(error.StatusCode, error.Description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable while serving {Endpoint}; answered 503")]
    private static partial void LogStorageUnavailable(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Endpoint}; answered 500")]
    private static partial void LogUnhandled(ILogger logger, string endpoint, Exception exception);
}
