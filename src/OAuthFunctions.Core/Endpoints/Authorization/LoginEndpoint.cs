using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// <c>GET|POST /oauth2/login</c> (Django's login view behind <c>login_required</c>). The form is protected against
/// cross-site forgery (a token in an encrypted cookie and in the form); failures show one generic message whatever
/// went wrong (no user enumeration); brute force is throttled per address and per user. Afterwards the browser
/// goes to <c>next</c> if it is a local path. When the sign-in belongs to an authorization request, the form names the
/// application asking. Storage: a read and the guess reservation per attempt, and a write clearing the count after a
/// success; the client read for the application's name, none when the instance has the client cached.
/// </summary>
public sealed class LoginEndpoint(
    FlowCookies cookies,
    SignIns signIns,
    ResourceOwnerAuthenticator owners,
    ActiveUsers activeUsers,
    IClientStore clients,
    PageRenderer pages) : IOAuthEndpoint
{
    public const string Path = "/oauth2/login";
    public const string FailedMessage = "Please enter a correct username and password. Note that both fields are case-sensitive.";
    public const string ThrottledMessage = "Too many failed sign-in attempts. Please wait a few minutes and try again.";
    public const string ExpiredFormMessage = "The sign-in form expired. Please try again.";

    public EndpointStyle Style => EndpointStyle.Page;

    public IReadOnlyList<string> Methods => EndpointMethods.GetAndPost;

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
                : await FormAsync(request, next, username: hint, error: null, status: 200, cancellationToken);
        }

        var username = FormParameters.Get(request.Form, "username");
        if (!FlowCookies.CsrfMatches(FormParameters.Get(request.Form, "csrf_token"), cookies.ReadCsrf(request)))
        {
            return await FormAsync(request, next, username, ExpiredFormMessage, 400, cancellationToken);
        }

        var password = FormParameters.Get(request.Form, "password");
        if (username is null || password is null)
        {
            return await FormAsync(request, next, username, FailedMessage, 400, cancellationToken);
        }

        var outcome = await owners.SignInAsync(username, password, request.RemoteAddress, cancellationToken);
        if (outcome.User is not { } user)
        {
            return outcome.Throttled
                ? await FormAsync(request, next, username, ThrottledMessage, 429, cancellationToken)
                : await FormAsync(request, next, username, FailedMessage, 200, cancellationToken);
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
    private async Task<OAuthResponse> FormAsync(OAuthRequest request, string? next, string? username, string? error, int status, CancellationToken cancellationToken)
    {
        var csrf = FlowCookies.NewCsrf();
        return pages.Render(PageTemplate.Login, status, new Dictionary<string, object?>
        {
            ["action"] = Path,
            ["csrf"] = csrf,
            ["next"] = next ?? string.Empty,
            ["username"] = username ?? string.Empty,
            ["error"] = error,
            ["client_name"] = await ApplicationAsync(request, next, cancellationToken) ?? string.Empty,
        }).WithCookie(cookies.WriteCsrf(csrf, request));
    }

    /// <summary>
    /// The name of the application asking, when this sign-in belongs to an authorization request: the client that
    /// <c>next</c> names, which is the capture URL with the request's parameters, or the confirm page, whose parameters
    /// are in the flow cookie. An unknown or refused client names nothing. The read costs a whole authorization
    /// nothing: it fills the instance's client cache, which the consent page then reads (docs/ARCHITECTURE.md,
    /// "Storage cost per operation").
    /// </summary>
    private async Task<string?> ApplicationAsync(OAuthRequest request, string? next, CancellationToken cancellationToken)
    {
        var clientId = next is null ? null : LocalPath.PathOf(next) switch
        {
            CaptureEndpoint.Path => LocalPath.QueryValue(next, "client_id"),
            CaptureEndpoint.ConfirmPath => cookies.ReadFlow(request)?.Parameters.GetValueOrDefault("client_id") is [var single] ? single : null,
            _ => null,
        };
        return string.IsNullOrEmpty(clientId) ? null : (await clients.FindAsync(clientId, cancellationToken))?.Name;
    }
}
