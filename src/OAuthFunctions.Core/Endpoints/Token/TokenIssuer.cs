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
    /// A new access token for <paramref name="scope"/> and, when <paramref name="refresh"/> is given, a refresh token
    /// with that scope. A refresh token stays in its rotation family's shard so that, when it never expires, its
    /// rotation is one atomic storage batch.
    /// </summary>
    public NewTokenPair Mint(Client client, string? userId, string? username, int scope, RefreshPlan? refresh = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        var accessExpires = now + options.AccessTokenLifetimeFor(client.IsPublic);
        var access = new NewToken(
            TokenHandle.Issue(TokenKind.AccessToken, accessExpires),
            new TokenGrant(client.ClientId, userId, username, scope, now, accessExpires));
        if (refresh is null)
        {
            return new NewTokenPair(access, null);
        }

        DateTimeOffset? refreshExpires = options.RefreshTokenLifetime is { } lifetime ? now + lifetime : null;
        var refreshToken = new NewToken(
            TokenHandle.Issue(TokenKind.RefreshToken, refreshExpires, refresh.Shard),
            new TokenGrant(client.ClientId, userId, username, refresh.Scope, now, refreshExpires));
        return new NewTokenPair(access, refreshToken);
    }

    /// <summary>The token response; <c>expires_in</c> is the access token's whole lifetime in seconds.</summary>
    public OAuthResponse Respond(NewTokenPair tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var grant = tokens.Access.Grant;
        var body = new TokenResponseBody(
            tokens.Access.Handle.Value,
            BearerType,
            ExpiresIn(grant),
            scopes.Format(grant.Scope),
            tokens.Refresh?.Handle.Value);
        return OAuthResponse.Json(200, body, OAuthJsonContext.Default.TokenResponseBody);
    }

    public static long ExpiresIn(TokenGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.ExpiresAt is { } at ? (long)(at - grant.IssuedAt).TotalSeconds : 0;
    }
}
