using System.Text.Json;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Core.Signing;

/// <summary>
/// The stored access token a presented value stands for, whether the client holds it opaque or as an RFC 9068 JWT. A
/// JWT counts only if this server signed it with a key it still publishes, with <c>typ: at+jwt</c> and this issuer;
/// its <c>jti</c> then names the row, which is read as for an opaque token, so revocation and expiry apply to both.
/// </summary>
public sealed class PresentedAccessTokens(ITokenStore tokens, SigningKeys keys, TimeProvider time)
{
    public async Task<StoredAccessToken?> FindAsync(string value, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Jws.LooksLikeJws(value))
        {
            return await LocateJwtAsync(value, issuer, cancellationToken) is { } row
                ? await tokens.FindAccessTokenAsync(row, cancellationToken)
                : null;
        }

        if (!TokenHandle.TryParse(value, TokenKind.AccessToken, out var handle) || handle!.ExpiredBefore(time.GetUtcNow()))
        {
            return null;
        }

        return await tokens.FindAccessTokenAsync(handle, cancellationToken);
    }

    /// <summary>The row a JWT access token names, if it is one this server signed and its hour has not passed.</summary>
    public async Task<TokenRef?> LocateJwtAsync(string value, string issuer, CancellationToken cancellationToken)
    {
        if (await keys.VerifyAsync(value, SignedTokens.AccessTokenType, cancellationToken) is not { } claims
            || !IsString(claims, "iss", issuer)
            || !claims.TryGetProperty("jti", out var jti) || jti.ValueKind != JsonValueKind.String
            || !TokenRef.TryParse(jti.GetString(), out var row)
            || row.Kind != TokenKind.AccessToken
            || row.Bucket < TokenHandle.BucketOf(time.GetUtcNow()))
        {
            return null;
        }

        return row;
    }

    private static bool IsString(JsonElement claims, string name, string expected) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == expected;
}
