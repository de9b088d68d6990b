using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// <c>GET /oauth2/redirect</c> (<c>provider.views.Redirect</c>): delivers the captured result to the client's redirect
/// URI and ends the flow. Nothing captured is 400 <c>invalid_data</c>, as django-oauth2-provider did. No storage access.
/// </summary>
public sealed class RedirectEndpoint(FlowCookies cookies) : IOAuthEndpoint
{
    public const string Path = "/oauth2/redirect";

    public EndpointStyle Style => EndpointStyle.Api;

    public IReadOnlyList<string> Methods => EndpointMethods.Get;

    public Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cookies.ReadFlow(request)?.Result is not { } result)
        {
            return Task.FromResult(OAuthResponse.Error(OAuthErrors.NotCaptured));
        }

        return Task.FromResult(OAuthResponse.Redirect(result.ToLocation()).WithCookie(cookies.Clear(cookies.FlowCookie, request)));
    }
}
