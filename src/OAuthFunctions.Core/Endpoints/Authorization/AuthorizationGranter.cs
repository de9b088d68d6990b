using System.Globalization;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Endpoints.Token;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Core.Endpoints.Authorization;

/// <summary>
/// What approval produces: an authorization code bound to user, client, redirect URI, scope and PKCE challenge
/// (RFC 6749 §4.1.2), or, for the implicit flow, an access token without a refresh token (§4.2.2). One insert. A code of
/// an OpenID Connect request also carries the <c>nonce</c>, when the person signed in, and the profile claims its
/// scopes release, so that the exchange signs the ID token without reading the user (the profile comes from the
/// per-instance user cache the sign-in check just filled).
/// </summary>
public sealed class AuthorizationGranter(ITokenStore tokens, TokenIssuer issuer, SignedTokens signedTokens, ActiveUsers activeUsers, ScopeRegistry scopes, OAuthOptions options, TimeProvider time)
{
    /// <param name="authorization">The validated request.</param>
    /// <param name="session">Who approved.</param>
    /// <param name="signedInAt">When they entered their password (<c>auth_time</c>).</param>
    /// <param name="issuerId">This server's issuer identifier, for a JWT access token of the implicit flow.</param>
    /// <param name="cancellationToken">Cancels storage work.</param>
    public async Task<FlowResult> GrantAsync(AuthorizationRequest authorization, LoginSession session, DateTimeOffset signedInAt, string issuerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(session);
        var parameters = new Dictionary<string, string>();
        var owner = new ResourceOwner(session.UserId, session.Username, session.Stamp, signedInAt);
        if (authorization.IsImplicit)
        {
            var pair = issuer.Mint(authorization.Client, owner, authorization.Scope);
            await tokens.IssueAsync(pair, cancellationToken);
            pair = await signedTokens.CompleteAsync(pair, authorization.Client, issuerId, cancellationToken);
            parameters["access_token"] = pair.AccessTokenValue;
            parameters["token_type"] = TokenIssuer.BearerType;
            parameters["expires_in"] = TokenIssuer.ExpiresIn(pair.Access.Grant).ToString(CultureInfo.InvariantCulture);
            parameters["scope"] = scopes.Format(authorization.Scope);
        }
        else
        {
            var now = time.GetUtcNow();
            var expires = now + options.CodeLifetime;
            var openId = ScopeRegistry.IsOpenId(authorization.Scope);
            var profile = openId && (authorization.Scope & (ScopeRegistry.ProfileBit | ScopeRegistry.EmailBit)) != 0
                ? (await activeUsers.ActiveProfileAsync(session.Username, session.UserId, session.Stamp, cancellationToken))?.ReleasedBy(authorization.Scope)
                : null;
            var code = new NewCode(
                TokenHandle.Issue(TokenKind.AuthorizationCode, expires, shards: options.TokenShards),
                new TokenGrant(authorization.Client.ClientId, session.UserId, session.Username, authorization.Scope, now, expires, session.Stamp, signedInAt),
                authorization.RedirectUri,
                authorization.RedirectUriGiven,
                authorization.CodeChallenge,
                openId ? authorization.SignIn.Nonce : null,
                profile);
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
