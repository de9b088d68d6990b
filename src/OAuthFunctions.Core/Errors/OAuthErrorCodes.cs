namespace OAuthFunctions.Core.Errors;

/// <summary>
/// Registered error codes (RFC 6749 §4.1.2.1 and §5.2, RFC 7009 §2.2.1, RFC 6750 §3.1, OpenID Connect Core §3.1.2.6)
/// plus django-oauth2-provider's <c>invalid_data</c>.
/// </summary>
public static class OAuthErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string InvalidScope = "invalid_scope";
    public const string AccessDenied = "access_denied";
    public const string ServerError = "server_error";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
    public const string UnsupportedTokenType = "unsupported_token_type";

    // OpenID Connect Core §3.1.2.6: authorization errors of prompt=none and friends.
    public const string LoginRequired = "login_required";
    public const string ConsentRequired = "consent_required";
    public const string InteractionRequired = "interaction_required";

    // RFC 6750 §3.1: bearer token errors (the UserInfo endpoint).
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScope = "insufficient_scope";

    /// <summary><c>provider.views.Redirect</c>'s answer when nothing was captured.</summary>
    public const string InvalidData = "invalid_data";
}
