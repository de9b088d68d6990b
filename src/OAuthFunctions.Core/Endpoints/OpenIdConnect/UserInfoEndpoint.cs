using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Core.Endpoints.OpenIdConnect;

/// <summary>
/// <c>GET|POST /oauth2/userinfo</c> (OpenID Connect Core §5.3): the claims about the person an access token stands for,
/// <c>sub</c> always (the same as the ID token's) and <c>name</c>, <c>email</c>, <c>email_verified</c> as its scopes
/// release them. The token is a bearer token (RFC 6750): in the <c>Authorization</c> header (§2.1) or, for POST, the
/// form field <c>access_token</c> (§2.2), never both; refusals carry the <c>WWW-Authenticate: Bearer</c> challenge of
/// §3. Storage: the token's row, and the user (none when cached).
/// </summary>
public sealed class UserInfoEndpoint(PresentedAccessTokens accessTokens, ActiveUsers activeUsers, TimeProvider time) : IOAuthEndpoint
{
    public const string Path = "/oauth2/userinfo";

    public EndpointStyle Style => EndpointStyle.Api;

    public IReadOnlyList<string> Methods => EndpointMethods.GetAndPost;

    public async Task<OAuthResponse> HandleAsync(OAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Authorization is { } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
        var form = request.IsPost ? FormParameters.Get(request.Form, "access_token") : null;

        // RFC 6750 §2: clients MUST NOT use more than one method to transmit the token; §3.1 invalid_request is 400.
        if ((header is not null && form is not null) || (request.IsPost && FormParameters.HasDuplicates(request.Form)))
        {
            return OAuthResponse.BearerChallenge(OAuthErrors.BearerTwice);
        }

        if ((header ?? form) is not { Length: > 0 } token)
        {
            // RFC 6750 §3.1: a request without any authentication gets the challenge without an error code.
            return OAuthResponse.BearerChallenge(null);
        }

        var stored = await accessTokens.FindAsync(token, request.Origin, cancellationToken);
        if (stored is null || stored.Grant.IsExpired(time.GetUtcNow()) || stored.Grant.UserId is not { } userId)
        {
            return OAuthResponse.BearerChallenge(OAuthErrors.BearerInvalid);
        }

        // OpenID Connect Core §5.3: the access token must have been obtained through an OpenID Connect request.
        if (!ScopeRegistry.IsOpenId(stored.Grant.Scope))
        {
            return OAuthResponse.BearerChallenge(OAuthErrors.BearerNotOpenId);
        }

        // A person removed, disabled, or replaced under the same name is nobody this token may describe.
        if (await activeUsers.EnabledProfileAsync(stored.Grant.Username ?? string.Empty, userId, cancellationToken) is not { } profile)
        {
            return OAuthResponse.BearerChallenge(OAuthErrors.BearerInvalid);
        }

        var released = profile.ReleasedBy(stored.Grant.Scope);
        var body = new UserInfoBody(userId, released.Name, released.Email, released.Email is null ? null : released.EmailVerified);
        return OAuthResponse.Json(200, body, OAuthJsonContext.Default.UserInfoBody);
    }
}
