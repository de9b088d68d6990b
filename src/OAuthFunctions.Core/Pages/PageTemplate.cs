namespace OAuthFunctions.Core.Pages;

/// <summary>The pages a person sees; each is a Liquid template an operator can replace (<c>TemplatesPath</c>).</summary>
public enum PageTemplate
{
    /// <summary><c>login.liquid</c>: action, csrf, next, username, error, client_name (the application asking, or empty).</summary>
    Login,

    /// <summary><c>consent.liquid</c> (django-oauth2-provider's <c>provider/authorize.html</c>): action, csrf, client_name, client_url, username, scopes.</summary>
    Consent,

    /// <summary><c>error.liquid</c>: title, message.</summary>
    Error,

    /// <summary><c>message.liquid</c>: title, message (signed in, signed out).</summary>
    Message,

    /// <summary><c>logout.liquid</c>: action, csrf, username, client_name (may be empty), fields (hidden name/value pairs to post back).</summary>
    Logout,
}
