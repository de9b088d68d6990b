using System.Globalization;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// What approval produces: an authorization code bound to user, client, redirect URI, scope and PKCE challenge
/// (RFC 6749 §4.1.2), or, for the implicit flow, an access token without a refresh token (§4.2.2). One insert.
/// </summary>
public sealed class AuthorizationGranter(ITokenStore tokens, TokenIssuer issuer, ScopeRegistry scopes, OAuthOptions options, TimeProvider time)
{
    public async Task<FlowResult> GrantAsync(AuthorizationRequest authorization, LoginSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(session);
        var parameters = new Dictionary<string, string>();
        if (authorization.IsImplicit)
        {
            var pair = issuer.Mint(authorization.Client, new ResourceOwner(session.UserId, session.Username, session.Stamp), authorization.Scope);
            await tokens.IssueAsync(pair, cancellationToken);
            parameters["access_token"] = pair.Access.Handle.Value;
            parameters["token_type"] = TokenIssuer.BearerType;
            parameters["expires_in"] = TokenIssuer.ExpiresIn(pair.Access.Grant).ToString(CultureInfo.InvariantCulture);
            parameters["scope"] = scopes.Format(authorization.Scope);
        }
        else
        {
            var now = time.GetUtcNow();
            var expires = now + options.CodeLifetime;
            var code = new NewCode(
                TokenHandle.Issue(TokenKind.AuthorizationCode, expires, shards: options.TokenShards),
                new TokenGrant(authorization.Client.ClientId, session.UserId, session.Username, authorization.Scope, now, expires, session.Stamp),
                authorization.RedirectUri,
                authorization.RedirectUriGiven,
                authorization.CodeChallenge);
            await tokens.SaveCodeAsync(code, cancellationToken);
            parameters["code"] = code.Handle.Value;
        }

        if (authorization.State is not null)
        {
            parameters["state"] = authorization.State;
        }

        return new FlowResult(authorization.RedirectUri, authorization.IsImplicit, parameters);
    }
}
