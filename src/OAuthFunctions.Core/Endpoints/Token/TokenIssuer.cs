using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Http;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>Mints access and refresh tokens with the configured lifetimes and writes the RFC 6749 §5.1 response.</summary>
public sealed class TokenIssuer(OAuthOptions options, ScopeRegistry scopes, TimeProvider time)
{
    public const string BearerType = "Bearer";

    /// <summary>
    /// A new access token for <paramref name="scope"/> and, when <paramref name="refresh"/> is given, a refresh token of
    /// the family it names (or of a new family) with that plan's scope. The access token belongs to the same family.
    /// </summary>
    public NewTokenPair Mint(Client client, ResourceOwner? owner, int scope, RefreshPlan? refresh = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        // RFC 9068 access tokens are short-lived: a resource server that validates them offline cannot learn of a revocation.
        var lifetime = client.AccessTokenFormat == AccessTokenFormat.Jwt ? options.JwtAccessTokenLifetime : options.AccessTokenLifetimeFor(client.IsPublic);
        var accessExpires = now + lifetime;
        var access = new NewToken(
            TokenHandle.Issue(TokenKind.AccessToken, accessExpires, shards: options.TokenShards),
            new TokenGrant(client.ClientId, owner?.UserId, owner?.Username, scope, now, accessExpires, owner?.Stamp, owner?.AuthTime));
        if (refresh is null)
        {
            return new NewTokenPair(access, null);
        }

        DateTimeOffset? refreshExpires = options.RefreshTokenLifetime is { } refreshLifetime ? now + refreshLifetime : null;
        var refreshToken = new NewToken(
            TokenHandle.IssueRefresh(refresh.FamilyId ?? FamilyKey.NewId()),
            new TokenGrant(client.ClientId, owner?.UserId, owner?.Username, refresh.Scope, now, refreshExpires, owner?.Stamp, owner?.AuthTime));
        return new NewTokenPair(access, refreshToken);
    }

    /// <summary>The token response; <c>expires_in</c> is the access token's whole lifetime in seconds.</summary>
    public OAuthResponse Respond(NewTokenPair tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var grant = tokens.Access.Grant;
        var body = new TokenResponseBody(
            tokens.AccessTokenValue,
            BearerType,
            ExpiresIn(grant),
            scopes.Format(grant.Scope),
            tokens.Refresh?.Handle.Value,
            tokens.IdToken);
        return OAuthResponse.Json(200, body, OAuthJsonContext.Default.TokenResponseBody);
    }

    public static long ExpiresIn(TokenGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.ExpiresAt is { } at ? (long)(at - grant.IssuedAt).TotalSeconds : 0;
    }
}
