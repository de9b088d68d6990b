using System.Text.Json;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Endpoints.Authorization;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Pages;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Endpoints.OpenIdConnect;

/// <summary>
/// <c>GET|POST /oauth2/end_session</c>, the <c>end_session_endpoint</c> of OpenID Connect RP-Initiated Logout 1.0: ends
/// the sign-in here, then sends the browser to the client's registered <c>post_logout_redirect_uri</c> with its
/// <c>state</c>, or shows "signed out".
/// <list type="bullet">
/// <item>An <c>id_token_hint</c> must be an ID token this server signed (expired is fine: §2 expects old ones), else the
/// request is refused on a page: a forged hint neither signs anyone out nor redirects anywhere.</item>
/// <item>A <c>post_logout_redirect_uri</c> is followed only if it is registered, exactly, for the client the hint or
/// <c>client_id</c> names (§3: it MUST have been registered); anything else is a page, never a redirect, so the
/// endpoint is no open redirector.</item>
/// <item>Without a hint naming the signed-in person, a signed-in person is asked first (§6: otherwise any site could sign
/// people out); the confirmation is a form protected against cross-site forgery.</item>
/// </list>
/// Storage: the client read (none when cached).
/// </summary>
public sealed class EndSessionEndpoint(FlowCookies cookies, SignIns signIns, IClientStore clients, SigningKeys keys, PageRenderer pages) : IOAuthEndpoint
{
    public const string Path = "/oauth2/end_session";
    public const string InvalidMessage = "The sign-out request is not valid.";
    public const string UnverifiedHintMessage = "The sign-out request could not be verified.";
    public const string UnregisteredRedirectMessage = "The address to return to after signing out is not registered for this application.";

    public EndpointStyle Style => EndpointStyle.Page;

    public IReadOnlyList<string> Methods => EndpointMethods.GetAndPost;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = request.Parameters;
        if (FormParameters.HasDuplicates(parameters))
        {
            return pages.Error(400, InvalidMessage, "Sign-out error");
        }

        var hint = FormParameters.Get(parameters, "id_token_hint");
        var clientId = FormParameters.Get(parameters, "client_id");
        var returnTo = FormParameters.Get(parameters, "post_logout_redirect_uri");
        var state = FormParameters.Get(parameters, "state");

        string? hintSubject = null;
        if (hint is not null)
        {
            // RP-Initiated Logout §2: the OP validates the hint as an ID token it issued (signature and issuer), but
            // accepts it when expired; its aud names the client.
            if (await keys.VerifyAsync(hint, SignedTokens.IdTokenType, cancellationToken) is not { } claims
                || !String(claims, "iss", out var iss) || iss != request.Origin
                || !String(claims, "sub", out var sub)
                || !String(claims, "aud", out var aud)
                || (clientId is not null && clientId != aud))
            {
                return pages.Error(400, UnverifiedHintMessage, "Sign-out error");
            }

            hintSubject = sub;
            clientId = aud;
        }

        Client? client = null;
        if (clientId is not null && (client = await clients.FindAsync(clientId, cancellationToken)) is null)
        {
            return pages.Error(400, InvalidMessage, "Sign-out error");
        }

        // RP-Initiated Logout §3: the URI MUST have been registered by the client, and is compared exactly.
        if (returnTo is not null && (client is null || !client.PostLogoutRedirectUris.Contains(returnTo, StringComparer.Ordinal)))
        {
            return pages.Error(400, UnregisteredRedirectMessage, "Sign-out error");
        }

        var session = await signIns.CurrentAsync(request, cancellationToken);
        var confirmed = request.IsPost && FlowCookies.CsrfMatches(FormParameters.Get(request.Form, "csrf_token"), cookies.ReadCsrf(request));
        if (session is not null && hintSubject != session.UserId && !confirmed)
        {
            return Confirm(request, session, client, hint, clientId, returnTo, state);
        }

        var done = returnTo is null
            ? pages.Message("Signed out", "You have been signed out.")
            : OAuthResponse.Redirect(new FlowResult(returnTo, false, state is null ? [] : new() { ["state"] = state }).ToLocation(), request.IsPost);
        return done
            .WithCookie(cookies.Clear(cookies.SessionCookie, request))
            .WithCookie(cookies.Clear(cookies.FlowCookie, request))
            .WithCookie(cookies.Clear(cookies.CsrfCookie, request));
    }

    private OAuthResponse Confirm(OAuthRequest request, LoginSession session, Client? client, string? hint, string? clientId, string? returnTo, string? state)
    {
        var csrf = FlowCookies.NewCsrf();
        var fields = new List<Dictionary<string, string>>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                fields.Add(new() { ["name"] = name, ["value"] = value });
            }
        }

        Add("id_token_hint", hint);
        Add("client_id", clientId);
        Add("post_logout_redirect_uri", returnTo);
        Add("state", state);
        return pages.Render(PageTemplate.Logout, 200, new Dictionary<string, object?>
        {
            ["action"] = Path,
            ["csrf"] = csrf,
            ["username"] = session.Username,
            ["client_name"] = client?.Name,
            ["fields"] = fields,
        }).WithCookie(cookies.WriteCsrf(csrf, request));
    }

    private static bool String(JsonElement claims, string name, out string value)
    {
        value = string.Empty;
        if (!claims.TryGetProperty(name, out var property))
        {
            return false;
        }

        // OpenID Connect Core §2: aud may be an array; this server's ID tokens have exactly one audience.
        if (property.ValueKind == JsonValueKind.Array && property.GetArrayLength() == 1)
        {
            property = property[0];
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = property.GetString()!;
        return true;
    }
}
