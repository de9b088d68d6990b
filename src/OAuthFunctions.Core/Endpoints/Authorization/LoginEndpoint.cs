using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// <c>GET|POST /oauth2/login</c> (Django's login view behind <c>login_required</c>). The form is protected against
/// cross-site forgery (a token in an encrypted cookie and in the form); failures show one generic message whatever
/// went wrong (no user enumeration); brute force is throttled per address and per user. Afterwards the browser
/// goes to <c>next</c> if it is a local path. Storage: a read and the guess reservation per attempt, and a write
/// clearing the count after a success.
/// </summary>
public sealed class LoginEndpoint(FlowCookies cookies, SignIns signIns, ResourceOwnerAuthenticator owners, ActiveUsers activeUsers, PageRenderer pages) : IOAuthEndpoint
{
    public const string Path = "/oauth2/login";
    public const string FailedMessage = "Please enter a correct username and password. Note that both fields are case-sensitive.";
    public const string ThrottledMessage = "Too many failed sign-in attempts. Please wait a few minutes and try again.";
    public const string ExpiredFormMessage = "The sign-in form expired. Please try again.";

    public EndpointStyle Style => EndpointStyle.Page;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var next = FormParameters.Get(request.Parameters, "next");
        next = LocalPath.IsLocal(next) ? next : null;
        if (!request.IsPost)
        {
            // OpenID Connect Core §3.1.2.1: prompt=login asks for the password again even when signed in; login_hint
            // fills in the username (only a well-formed one: the page shows it).
            var reauthenticate = FormParameters.Get(request.Query, "prompt") == "login";
            var hint = FormParameters.Get(request.Query, "login_hint") is { } named && Usernames.IsValid(named) ? named : null;
            return next is not null && !reauthenticate && await signIns.CurrentAsync(request, cancellationToken) is not null
                ? OAuthResponse.Redirect(next)
                : Form(request, next, username: hint, error: null, status: 200);
        }

        var username = FormParameters.Get(request.Form, "username");
        if (!FlowCookies.CsrfMatches(FormParameters.Get(request.Form, "csrf_token"), cookies.ReadCsrf(request)))
        {
            return Form(request, next, username, ExpiredFormMessage, 400);
        }

        var password = FormParameters.Get(request.Form, "password");
        if (username is null || password is null)
        {
            return Form(request, next, username, FailedMessage, 400);
        }

        var outcome = await owners.SignInAsync(username, password, request.RemoteAddress, cancellationToken);
        if (outcome.User is not { } user)
        {
            return outcome.Throttled
                ? Form(request, next, username, ThrottledMessage, 429)
                : Form(request, next, username, FailedMessage, 200);
        }

        activeUsers.Seen(user);
        var session = new LoginSession(user.UserId, user.Username, cookies.NewSessionExpiry(), user.SecurityStamp, cookies.Now());
        var response = next is not null
            ? OAuthResponse.Redirect(next, afterPost: true)
            : pages.Message("Signed in", $"You are signed in as {user.Username}.");
        return response
            .WithCookie(cookies.WriteSession(session, request))
            .WithCookie(cookies.Clear(cookies.CsrfCookie, request));
    }

    /// <summary>The form, with a fresh anti-forgery token in both the cookie and a hidden field.</summary>
    private OAuthResponse Form(OAuthRequest request, string? next, string? username, string? error, int status)
    {
        var csrf = FlowCookies.NewCsrf();
        return pages.Render(PageTemplate.Login, status, new Dictionary<string, object?>
        {
            ["action"] = Path,
            ["csrf"] = csrf,
            ["next"] = next ?? string.Empty,
            ["username"] = username ?? string.Empty,
            ["error"] = error,
        }).WithCookie(cookies.WriteCsrf(csrf, request));
    }
}
