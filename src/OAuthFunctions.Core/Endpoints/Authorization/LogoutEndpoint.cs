using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary><c>POST /oauth2/logout</c>: clears the login session and any flow in progress. No storage access.</summary>
public sealed class LogoutEndpoint(FlowCookies cookies, PageRenderer pages) : IOAuthEndpoint
{
    public EndpointStyle Style => EndpointStyle.Page;

    public IReadOnlyList<string> Methods => EndpointMethods.Post;

    public Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var next = FormParameters.Get(request.Form, "next");
        var response = LocalPath.IsLocal(next)
            ? OAuthResponse.Redirect(next!, afterPost: true)
            : pages.Message("Signed out", "You have been signed out.");
        return Task.FromResult(response
            .WithCookie(cookies.Clear(cookies.SessionCookie, request))
            .WithCookie(cookies.Clear(cookies.FlowCookie, request)));
    }
}
