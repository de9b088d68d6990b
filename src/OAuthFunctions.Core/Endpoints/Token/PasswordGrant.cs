using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>
/// <c>password</c> (RFC 6749 §4.3). Wrong credentials are <c>invalid_grant</c> for every client type (django-oauth2-provider
/// answered <c>invalid_client</c> for public clients; RFC 6749 §5.2 says the grant is what is invalid). Public
/// clients get no refresh token, as in django-oauth2-provider. Brute force is throttled per address and per user.
/// </summary>
public sealed class PasswordGrant(ScopeRegistry scopes, TokenIssuer issuer, ITokenStore tokens, ResourceOwnerAuthenticator owners) : IGrantHandler
{
    public string GrantType => GrantTypes.Password;

    public async Task<Result<NewTokenPair>> HandleAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = request.Client;
        var username = request.Param("username");
        var password = request.Param("password");
        if (username is null || password is null)
        {
            return OAuthErrors.MissingCredentials;
        }

        // OpenID Connect's scopes are never part of a client's registered scope, so they are refused here: ID tokens
        // come from the code flow only (docs/BEHAVIOUR.md §11).
        var scope = scopes.Parse(request.Param("scope"), scopes.DefaultScope);
        if (scope is not { } granted || !ScopeRegistry.Check(granted, client.Scope))
        {
            return OAuthErrors.ScopeInvalid;
        }

        var outcome = await owners.SignInAsync(username, password, request.Http.RemoteAddress, cancellationToken);
        if (outcome.User is not { } user)
        {
            return OAuthErrors.InvalidCredentials;
        }

        var refresh = client.IsPublic || !client.Allows(GrantTypes.RefreshToken) ? null : new RefreshPlan(granted);
        var pair = issuer.Mint(client, new ResourceOwner(user.UserId, user.Username, user.SecurityStamp), granted, refresh);
        await tokens.IssueAsync(pair, cancellationToken);
        return pair;
    }
}
