using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Core.Scopes;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// <c>GET|POST /oauth2/authorize/confirm</c> (<c>provider.views.Authorize</c>). GET validates the captured request
/// (RFC 6749 §4.1.2.1 order: client, then redirect URI, then the rest) and shows the consent page, or approves at once for a trusted client. POST takes the person's
/// decision, protected against cross-site forgery by a token bound to the flow cookie. Errors about the client or
/// redirect URI are shown; others, and a denial, go back to the client.
/// <para>
/// OpenID Connect Core §3.1.2.1: a sign-in older than <c>max_age</c>, or made before this authorization when it says
/// <c>prompt=login</c>, sends the person to the login page again (the flow is kept); <c>prompt=consent</c> shows the
/// consent page to a trusted client too; and with <c>prompt=none</c> no page is ever shown: what would need one goes
/// back to the client as <c>login_required</c>, <c>consent_required</c> or <c>interaction_required</c> (§3.1.2.6).
/// </para>
/// </summary>
public sealed class AuthorizeEndpoint(
    FlowCookies cookies,
    AuthorizationRequestValidator validator,
    AuthorizationGranter granter,
    SignIns signIns,
    PageRenderer pages,
    ScopeRegistry scopes) : IOAuthEndpoint
{
    public const string ExpiredMessage = "Authorization session has expired.";
    public const string ForgedMessage = "The request could not be verified. Please start again from the application.";

    public EndpointStyle Style => EndpointStyle.Page;

    public IReadOnlyList<string> Methods => EndpointMethods.GetAndPost;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await signIns.CurrentAsync(request, cancellationToken) is not { } session)
        {
            // prompt=none: the page that would follow cannot be shown, so the client learns the person must sign in.
            if (cookies.ReadFlow(request) is { } pending && OpenIdParameters.Read(pending.Parameters).Value is { PromptNone: true })
            {
                var pendingValidation = await validator.ValidateAsync(pending.Parameters, cancellationToken);
                return pendingValidation.PageError is { } problem
                    ? pages.Error(400, problem).WithCookie(cookies.Clear(cookies.FlowCookie, request))
                    : Deliver(pendingValidation.RedirectError ?? Refuse(pendingValidation.Request!, OAuthErrors.LoginRequired), request);
            }

            // No sign-in, or one that ended (password changed, user disabled or removed): sign in again.
            return OAuthResponse.Redirect(LocalPath.LoginUrl(CaptureEndpoint.ConfirmPath), request.IsPost)
                .WithCookie(cookies.Clear(cookies.SessionCookie, request));
        }

        if (cookies.ReadFlow(request) is not { } flow)
        {
            return pages.Error(400, ExpiredMessage);
        }

        if (request.IsPost && !FlowCookies.CsrfMatches(FormParameters.Get(request.Form, "csrf_token"), flow.Csrf))
        {
            return pages.Error(400, ForgedMessage);
        }

        var validation = await validator.ValidateAsync(flow.Parameters, cancellationToken);
        if (validation.PageError is { } message)
        {
            return pages.Error(400, message).WithCookie(cookies.Clear(cookies.FlowCookie, request));
        }

        if (validation.RedirectError is { } error)
        {
            return Deliver(error, request);
        }

        var authorization = validation.Request!;
        var signIn = authorization.SignIn;
        var signedInAt = cookies.SignedInAt(session);
        var now = cookies.Now();
        if (!signIn.IsSatisfiedBy(signedInAt, flow.Began, now))
        {
            return signIn.PromptNone
                ? Deliver(Refuse(authorization, OAuthErrors.LoginRequired), request)
                : OAuthResponse.Redirect(LocalPath.LoginUrl(CaptureEndpoint.ConfirmPath, reauthenticate: true, signIn.LoginHint), request.IsPost);
        }

        // login_hint names someone other than who signed in before this authorization: offer the login page once (a
        // sign-in during this authorization is accepted as it is, whoever it is, so this cannot loop).
        if (signIn.LoginHint is { } hint && hint != session.Username && signedInAt < flow.Began)
        {
            return signIn.PromptNone
                ? Deliver(Refuse(authorization, OAuthErrors.InteractionRequired), request)
                : OAuthResponse.Redirect(LocalPath.LoginUrl(CaptureEndpoint.ConfirmPath, reauthenticate: true, hint), request.IsPost);
        }

        if (request.IsGet && (!authorization.Client.Trusted || signIn.PromptConsent))
        {
            // Consent is never remembered here (docs/SECURITY.md, RFC 6819 §4.2.3), so prompt=none reaches a trusted
            // client only.
            return signIn.PromptNone
                ? Deliver(Refuse(authorization, OAuthErrors.ConsentRequired), request)
                : Consent(authorization, session, flow);
        }

        var approved = request.IsGet || FormParameters.Get(request.Form, "decision") == "approve";
        if (!approved)
        {
            return Deliver(AuthorizationValidation.ErrorResult(authorization.RedirectUri, authorization.IsImplicit, OAuthErrors.Denied, authorization.State), request);
        }

        // The result waits in the flow cookie and the browser collects it at /oauth2/redirect. The raw
        // parameters are dropped then, so the cookie stays within what browsers keep (~4 KB).
        var result = await granter.GrantAsync(authorization, session, signedInAt, request.Origin, cancellationToken);
        var decided = flow with { Parameters = new Dictionary<string, string[]>(), Result = result };
        return OAuthResponse.Redirect(RedirectEndpoint.Path, request.IsPost).WithCookie(cookies.WriteFlow(decided, request));
    }

    private OAuthResponse Consent(AuthorizationRequest authorization, LoginSession session, FlowState flow) =>
        pages.Render(PageTemplate.Consent, 200, new Dictionary<string, object?>
        {
            ["action"] = CaptureEndpoint.ConfirmPath,
            ["csrf"] = flow.Csrf,
            ["client_name"] = authorization.Client.Name,
            ["client_url"] = authorization.Client.Url,
            ["username"] = session.Username,
            ["scopes"] = scopes.ToNames(authorization.Scope).Select(ScopeDescriptions.Describe).ToList(),
        });

    private static FlowResult Refuse(AuthorizationRequest authorization, OAuthError error) =>
        AuthorizationValidation.ErrorResult(authorization.RedirectUri, authorization.IsImplicit, error, authorization.State);

    /// <summary>Sends an error or denial straight back to the client and ends the flow.</summary>
    private OAuthResponse Deliver(FlowResult result, OAuthRequest request) =>
        OAuthResponse.Redirect(result.ToLocation(), request.IsPost).WithCookie(cookies.Clear(cookies.FlowCookie, request));
}
