using static OAuthFunctions.Core.Errors.OAuthErrorCodes;

namespace OAuthFunctions.Core.Errors;

/// <summary>
/// Every error this server answers with. Descriptions are fixed strings in the RFC 6749 §5.2 character set
/// (no '"' or '\'), so nothing a client sent, and nothing an exception said, can reach a response.
/// </summary>
public static class OAuthErrors
{
    // Transport and request shape.
    public static readonly OAuthError SecureConnectionRequired = new(InvalidRequest, "A secure connection is required.");
    public static readonly OAuthError OnlyPost = new(InvalidRequest, "Only POST requests allowed.");
    public static readonly OAuthError FormContentRequired = new(InvalidRequest, "The request body must be application/x-www-form-urlencoded.");
    public static readonly OAuthError DuplicateParameter = new(InvalidRequest, "A parameter was sent more than once.");
    public static readonly OAuthError MethodNotAllowed = new(InvalidRequest, "This endpoint does not accept the request method; the Allow header lists those it does.", transportStatus: 405);
    public static readonly OAuthError BodyTooLarge = new(InvalidRequest, "The request body is too large.", transportStatus: 413);
    public static readonly OAuthError QueryTooLong = new(InvalidRequest, "The query string is too long.", transportStatus: 414);

    // Token endpoint (RFC 6749 §5.2), in django-oauth2-provider's check order.
    public static readonly OAuthError MissingGrantType = new(InvalidRequest, "No 'grant_type' included in the request.");
    public static readonly OAuthError UnsupportedGrant = new(UnsupportedGrantType, "The authorization grant type is not supported.");
    public static readonly OAuthError MultipleClientAuthentication = new(InvalidRequest, "The client used more than one authentication method.");
    public static readonly OAuthError ClientAuthenticationFailed = new(InvalidClient, "Client authentication failed.");
    public static readonly OAuthError GrantTypeNotAllowed = new(UnauthorizedClient, "The client is not allowed to use this grant type.");
    public static readonly OAuthError MissingCode = new(InvalidRequest, "No 'code' included in the request.");
    public static readonly OAuthError InvalidCode = new(InvalidGrant, "The authorization code is invalid, expired or already used.");
    public static readonly OAuthError RedirectUriMismatch = new(InvalidGrant, "The redirect_uri does not match the authorization request.");
    public static readonly OAuthError PkceVerificationFailed = new(InvalidGrant, "The code_verifier does not match the code_challenge.");
    public static readonly OAuthError UnexpectedCodeVerifier = new(InvalidGrant, "A code_verifier was sent for a code issued without a code_challenge.");
    public static readonly OAuthError MissingRefreshToken = new(InvalidRequest, "No 'refresh_token' included in the request.");
    public static readonly OAuthError InvalidRefreshToken = new(InvalidGrant, "The refresh token is invalid, expired or revoked.");
    public static readonly OAuthError MissingCredentials = new(InvalidRequest, "The 'username' and 'password' parameters are required.");
    public static readonly OAuthError InvalidCredentials = new(InvalidGrant, "The username or password is incorrect.");
    public static readonly OAuthError ClientCredentialsForPublicClient = new(UnauthorizedClient, "Public clients cannot use the client_credentials grant.");
    public static readonly OAuthError ScopeInvalid = new(InvalidScope, "The requested scope is invalid, unknown or exceeds the granted scope.");

    // Authorization endpoint (RFC 6749 §4.1.2.1), redirected to the client.
    public static readonly OAuthError MissingResponseType = new(InvalidRequest, "No 'response_type' supplied.");
    public static readonly OAuthError UnsupportedResponse = new(UnsupportedResponseType, "The response type is not supported.");
    public static readonly OAuthError ResponseTypeNotAllowed = new(UnauthorizedClient, "The client is not allowed to use this response type.");
    public static readonly OAuthError PkceRequired = new(InvalidRequest, "Public clients must send a code_challenge with code_challenge_method S256.");
    public static readonly OAuthError PkceMethodUnsupported = new(InvalidRequest, "Only the S256 code_challenge_method is supported.");
    public static readonly OAuthError PkceChallengeMalformed = new(InvalidRequest, "The code_challenge is malformed.");
    public static readonly OAuthError Denied = new(AccessDenied, "The resource owner denied the request.");

    // OpenID Connect authorization requests (OpenID Connect Core §3.1.2.1, §3.1.2.6), redirected to the client.
    public static readonly OAuthError PromptInvalid = new(InvalidRequest, "The prompt parameter is invalid.");
    public static readonly OAuthError MaxAgeInvalid = new(InvalidRequest, "The max_age parameter must be a non-negative whole number of seconds.");
    public static readonly OAuthError OpenIdRedirectUriRequired = new(InvalidRequest, "OpenID Connect requests must include a redirect_uri.");
    public static readonly OAuthError LoginRequired = new(OAuthErrorCodes.LoginRequired, "The end-user must sign in.");
    public static readonly OAuthError ConsentRequired = new(OAuthErrorCodes.ConsentRequired, "The end-user must consent.");
    public static readonly OAuthError InteractionRequired = new(OAuthErrorCodes.InteractionRequired, "The end-user must choose an account.");

    // UserInfo (OpenID Connect Core §5.3, RFC 6750 §3.1).
    public static readonly OAuthError BearerInvalid = new(InvalidToken, "The access token is invalid, expired or revoked.");
    public static readonly OAuthError BearerNotOpenId = new(InsufficientScope, "The access token was not granted the openid scope.");
    public static readonly OAuthError BearerTwice = new(InvalidRequest, "The access token was sent in more than one way.");

    // Revocation and introspection (RFC 7009, RFC 7662).
    public static readonly OAuthError MissingToken = new(InvalidRequest, "No 'token' included in the request.");
    public static readonly OAuthError NotTokenOwner = new(UnauthorizedClient, "The token was not issued to this client.");
    public static readonly OAuthError IntrospectionRequiresConfidentialClient = new(InvalidClient, "Introspection requires an authenticated confidential client.");

    // django-oauth2-provider's Redirect view.
    public static readonly OAuthError NotCaptured = new(InvalidData, "Data has not been captured");

    // Faults: details go to the log, never to the response.
    public static readonly OAuthError ServerFault = new(ServerError, "The server encountered an unexpected condition.");
    public static readonly OAuthError StorageUnavailable = new(TemporarilyUnavailable, "The service is temporarily unavailable. Try again later.");
}
