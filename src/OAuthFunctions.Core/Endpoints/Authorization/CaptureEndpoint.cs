using System.Text.Json;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// <c>GET|POST /oauth2/authorize</c> (<c>provider.views.Capture</c>). Not signed in: to the login page, which
/// comes back here. Signed in: the raw parameters become flow state (an encrypted cookie) and the browser goes to
/// <c>/oauth2/authorize/confirm</c> with no query string, so they do not leak to scripts or referrers there.
/// No storage access when the signed-in user is cached (see <see cref="SignIns"/>).
/// <para>
/// OpenID Connect Core §3.1.2.1: with <c>prompt=none</c> and nobody signed in, no page may be shown: the client gets
/// <c>login_required</c> (after its client and redirect URI were validated, one client read). A request that may need
/// a fresh sign-in (<c>prompt=login</c>, <c>max_age</c>) keeps its flow while the person signs in, so that sign-in counts
/// as made during it; <c>login_hint</c> fills in the username on the login page.
/// </para>
/// </summary>
public sealed class CaptureEndpoint(FlowCookies cookies, SignIns signIns, AuthorizationRequestValidator validator, PageRenderer pages) : IOAuthEndpoint
{
    public const string Path = "/oauth2/authorize";
    public const string ConfirmPath = "/oauth2/authorize/confirm";

    /// <summary>Browsers keep ~4 KB per cookie; the encrypted flow must fit.</summary>
    private const int MaxParameterChars = 2048;

    public EndpointStyle Style => EndpointStyle.Page;

    public IReadOnlyList<string> Methods => EndpointMethods.GetAndPost;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = request.Parameters.ToDictionary(p => p.Key, p => p.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.Ordinal);
        if (JsonSerializer.Serialize(parameters).Length > MaxParameterChars)
        {
            return pages.Error(400, "The authorization request is too large.");
        }

        if (await signIns.CurrentAsync(request, cancellationToken) is null)
        {
            var signIn = OpenIdParameters.Read(parameters).Value ?? OpenIdParameters.None;
            if (signIn.PromptNone)
            {
                var validation = await validator.ValidateAsync(parameters, cancellationToken);
                if (validation.PageError is { } message)
                {
                    return pages.Error(400, message);
                }

                var refused = validation.RedirectError
                    ?? AuthorizationValidation.ErrorResult(validation.Request!.RedirectUri, validation.Request.IsImplicit, OAuthErrors.LoginRequired, validation.Request.State);
                return OAuthResponse.Redirect(refused.ToLocation(), request.IsPost);
            }

            if (signIn.AsksForFreshSignIn)
            {
                var kept = new FlowState(parameters, FlowCookies.NewCsrf(), cookies.NewFlowExpiry(), StartedAt: cookies.Now());
                return OAuthResponse.Redirect(LocalPath.LoginUrl(ConfirmPath, loginHint: signIn.LoginHint), request.IsPost)
                    .WithCookie(cookies.WriteFlow(kept, request));
            }

            var query = string.Join('&', parameters.SelectMany(p => p.Value.Select(v => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(v))));
            var here = Path + (query.Length > 0 ? "?" + query : string.Empty);
            return OAuthResponse.Redirect(LocalPath.LoginUrl(here, loginHint: signIn.LoginHint), request.IsPost);
        }

        var flow = new FlowState(parameters, FlowCookies.NewCsrf(), cookies.NewFlowExpiry(), StartedAt: cookies.Now());
        return OAuthResponse.Redirect(ConfirmPath, request.IsPost).WithCookie(cookies.WriteFlow(flow, request));
    }
}
