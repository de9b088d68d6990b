using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>
/// <c>client_credentials</c> (RFC 6749 §4.4): a confidential client acting for itself. No user, no refresh token
/// (§4.4.3: a refresh token SHOULD NOT be included). Storage cost: the client read (none when cached) and one insert.
/// </summary>
public sealed class ClientCredentialsGrant(ScopeRegistry scopes, TokenIssuer issuer, ITokenStore tokens) : IGrantHandler
{
    public string GrantType => GrantTypes.ClientCredentials;

    public async Task<Result<NewTokenPair>> HandleAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = request.Client;

        // RFC 6749 §4.4: the client credentials grant type MUST only be used by confidential clients.
        if (client.IsPublic)
        {
            return OAuthErrors.ClientCredentialsForPublicClient;
        }

        // OpenID Connect's scopes are never part of a client's registered scope, so they are refused here: without a
        // person there is no identity to release (docs/BEHAVIOUR.md §11).
        var scope = scopes.Parse(request.Param("scope"), scopes.DefaultScope);
        if (scope is not { } granted || !ScopeRegistry.Check(granted, client.Scope))
        {
            return OAuthErrors.ScopeInvalid;
        }

        var pair = issuer.Mint(client, owner: null, granted);
        await tokens.IssueAsync(pair, cancellationToken);
        return pair;
    }
}
