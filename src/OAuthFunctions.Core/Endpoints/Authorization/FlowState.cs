namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// One authorization in progress (django-oauth2-provider kept it in the Django session): the raw request parameters that
/// capture saw, the consent form's anti-forgery token, and, once decided, where to send the browser.
/// Lives in an encrypted, HttpOnly, SameSite cookie; no storage row.
/// </summary>
public sealed record FlowState(
    Dictionary<string, string[]> Parameters,
    string Csrf,
    DateTimeOffset ExpiresAt,
    FlowResult? Result = null,
    DateTimeOffset? StartedAt = null)
{
    /// <summary>
    /// When the authorization began: a sign-in made after it satisfies <c>prompt=login</c> and <c>max_age</c> (OpenID
    /// Connect Core §3.1.2.1). A flow cookie from before this was recorded began <see cref="FlowCookies.FlowLifetime"/>
    /// before it expires.
    /// </summary>
    public DateTimeOffset Began => StartedAt ?? ExpiresAt - FlowCookies.FlowLifetime;
}
