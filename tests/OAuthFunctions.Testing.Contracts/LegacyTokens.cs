using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>Refresh token values in the format used before families (<c>r{shard}{expiry-hour:D7}{secret:43}</c>), which the server no longer mints.</summary>
public static class LegacyTokens
{
    public static TokenHandle NewRefresh(DateTimeOffset? expiresAt, int shard = 0)
    {
        var bucket = expiresAt is { } at ? TokenHandle.BucketOf(at) : TokenHandle.NeverBucket;
        var value = string.Create(CultureInfo.InvariantCulture, $"r{shard}{bucket:D7}{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}");
        return TokenHandle.TryParse(value, TokenKind.RefreshToken, out var handle) ? handle! : throw new InvalidOperationException("Not a legacy token.");
    }
}
