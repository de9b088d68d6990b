using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Scopes;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Signing;

/// <summary>
/// The signed tokens a response carries beside the stored ones, made after the grant committed (so a lost race signs
/// nothing): the RFC 9068 access token of a client registered for JWTs, then the ID token of an OpenID Connect grant,
/// whose <c>at_hash</c> covers whichever access token the client receives. Signing needs no storage request: the key
/// comes from <see cref="SigningKeys"/>' memory.
/// </summary>
public sealed class SignedTokens(SigningKeys keys, ScopeRegistry scopes, TimeProvider time)
{
    /// <summary>RFC 9068 §2.1: the <c>typ</c> header of a JWT access token.</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>RFC 7519 §5.1: the <c>typ</c> of an ID token.</summary>
    public const string IdTokenType = "JWT";

    /// <param name="pair">The committed tokens.</param>
    /// <param name="client">The client they were issued to.</param>
    /// <param name="issuer">This server's issuer identifier (RFC 8414 §2), which the tokens name as <c>iss</c>.</param>
    /// <param name="cancellationToken">Cancels a first load of the keys.</param>
    public async Task<NewTokenPair> CompleteAsync(NewTokenPair pair, Client client, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(client);
        if (client.AccessTokenFormat == AccessTokenFormat.Jwt)
        {
            var key = await keys.SigningKeyAsync(cancellationToken);
            pair = pair with { AccessTokenJwt = AccessToken(key, pair.Access, client, issuer) };
        }

        var grant = pair.Access.Grant;
        if (pair.Identity is { } identity && grant.UserId is not null && ScopeRegistry.IsOpenId(grant.Scope))
        {
            var key = await keys.SigningKeyAsync(cancellationToken);
            pair = pair with { IdToken = IdToken(key, grant, identity, pair.AccessTokenValue, issuer) };
        }

        return pair;
    }

    /// <summary>
    /// OpenID Connect Core §2 and §3.1.3.6: <c>iss</c>, <c>sub</c> (the user's stable id, never the username, which can
    /// be taken again by someone else), <c>aud</c> (the client), <c>exp</c>, <c>iat</c>, <c>auth_time</c>, <c>nonce</c>
    /// when the request had one, <c>at_hash</c>; and the profile claims the scopes released (§5.4).
    /// </summary>
    public string IdToken(SigningKey key, TokenGrant grant, IdentityClaims identity, string accessToken, string issuer)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(identity);
        var now = time.GetUtcNow();
        return Jws.Sign(key, IdTokenType, writer =>
        {
            writer.WriteString("iss", issuer);
            writer.WriteString("sub", grant.UserId);
            writer.WriteString("aud", grant.ClientId);
            writer.WriteNumber("exp", (now + keys.IdTokenLifetime).ToUnixTimeSeconds());
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteNumber("auth_time", identity.AuthTime.ToUnixTimeSeconds());
            if (identity.Nonce is { } nonce)
            {
                writer.WriteString("nonce", nonce);
            }

            writer.WriteString("at_hash", AtHash(accessToken));
            WriteProfile(writer, identity.Profile?.ReleasedBy(grant.Scope));
        });
    }

    /// <summary>
    /// RFC 9068 §2.2: <c>iss</c>, <c>exp</c>, <c>aud</c>, <c>sub</c> (the user, or the client itself when no person is
    /// involved), <c>client_id</c>, <c>iat</c>, <c>jti</c>, <c>scope</c>, and <c>auth_time</c> when known. The
    /// <c>jti</c> names the token's stored row (its locator and hash, never a secret), so introspection, revocation and
    /// purge find it as they find an opaque token.
    /// </summary>
    public string AccessToken(SigningKey key, NewToken access, Client client, string issuer)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(client);
        var grant = access.Grant;
        return Jws.Sign(key, AccessTokenType, writer =>
        {
            writer.WriteString("iss", issuer);
            writer.WriteNumber("exp", (grant.ExpiresAt ?? grant.IssuedAt).ToUnixTimeSeconds());
            writer.WriteString("aud", client.AccessTokenAudience ?? issuer);
            writer.WriteString("sub", grant.UserId ?? grant.ClientId);
            writer.WriteString("client_id", grant.ClientId);
            writer.WriteNumber("iat", grant.IssuedAt.ToUnixTimeSeconds());
            writer.WriteString("jti", access.Handle.Ref.ToString());
            writer.WriteString("scope", scopes.Format(grant.Scope));
            if (grant.AuthTime is { } authTime)
            {
                writer.WriteNumber("auth_time", authTime.ToUnixTimeSeconds());
            }
        });
    }

    /// <summary>
    /// OpenID Connect Core §3.1.3.6: the base64url of the left-most half of the hash of the ASCII access token, with the
    /// hash of the JWS algorithm (SHA-256 for RS256 and ES256).
    /// </summary>
    public static string AtHash(string accessToken)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
        return Base64Url.EncodeToString(hash.AsSpan(0, hash.Length / 2));
    }

    /// <summary>OpenID Connect Core §5.1: <c>name</c>, <c>email</c>, <c>email_verified</c>, only those released and known.</summary>
    public static void WriteProfile(Utf8JsonWriter writer, Users.UserProfile? profile)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (profile?.Name is { } name)
        {
            writer.WriteString("name", name);
        }

        if (profile?.Email is { } email)
        {
            writer.WriteString("email", email);
            writer.WriteBoolean("email_verified", profile.EmailVerified);
        }
    }
}
