using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Errors;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>
/// <c>refresh_token</c> (RFC 6749 §6). The token must exist, be this client's, unexpired and not yet rotated. Every
/// use rotates it: a new access token and a new refresh token; the old pair stops working (the original's rule).
/// Presenting a rotated token again revokes the whole rotation family (OAuth 2.0 Security BCP §4.14.2).
/// Storage cost: client read, token read, two inserts, one delete, one conditional update.
/// </summary>
public sealed class RefreshTokenGrant(ScopeRegistry scopes, TokenIssuer issuer, ITokenStore tokens, TimeProvider time) : IGrantHandler
{
    public string GrantType => GrantTypes.RefreshToken;

    public async Task<Result<NewTokenPair>> HandleAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = request.Client;
        var value = request.Param("refresh_token");
        if (value is null)
        {
            return OAuthErrors.MissingRefreshToken;
        }

        var now = time.GetUtcNow();
        if (!TokenHandle.TryParse(value, TokenKind.RefreshToken, out var handle) || handle!.ExpiredBefore(now))
        {
            return OAuthErrors.InvalidRefreshToken;
        }

        var current = await tokens.FindRefreshTokenAsync(handle, cancellationToken);
        if (current is null || current.Grant.ClientId != client.ClientId)
        {
            return OAuthErrors.InvalidRefreshToken;
        }

        if (current.Rotated)
        {
            await tokens.RevokeRefreshFamilyAsync(current, cancellationToken);
            return OAuthErrors.InvalidRefreshToken;
        }

        if (current.Grant.IsExpired(now))
        {
            return OAuthErrors.InvalidRefreshToken;
        }

        // RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted; omitted means the same.
        var scope = scopes.Parse(request.Param("scope"), current.Grant.Scope);
        if (scope is not { } granted || !ScopeRegistry.Check(granted, current.Grant.Scope))
        {
            return OAuthErrors.ScopeInvalid;
        }

        // RFC 6749 §6: a new refresh token has exactly the scope of the one it replaces.
        var pair = issuer.Mint(
            client,
            current.Grant.UserId,
            current.Grant.Username,
            granted,
            new RefreshPlan(current.Grant.Scope, current.Ref.Shard));
        if (await tokens.RotateRefreshTokenAsync(current, pair, cancellationToken) == CommitResult.AlreadyUsed)
        {
            // A concurrent use rotated it first: this use is a replay, so the family goes.
            await tokens.RevokeRefreshFamilyAsync(current, cancellationToken);
            return OAuthErrors.InvalidRefreshToken;
        }

        return pair;
    }
}
