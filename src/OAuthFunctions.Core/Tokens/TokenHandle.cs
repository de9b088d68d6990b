using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// An authorization code, access token or refresh token: 256 random bits behind a short locator,
/// <c>{kind}{shard}{expiry-hour:D7}{secret}</c> (52 URL-safe characters). The locator lets storage find the row
/// with one point read and lets purge delete whole expired hours without scanning live ones
/// (docs/ARCHITECTURE.md, "Keys"). Only <see cref="Hash"/> is ever stored.
/// </summary>
public sealed class TokenHandle
{
    /// <summary>Partitions per expiry hour, so that no single partition takes every write.</summary>
    public const int ShardCount = 4;

    /// <summary>The bucket of things that never expire (refresh tokens when <c>RefreshTokenLifetime</c> is none).</summary>
    public const int NeverBucket = 9_999_999;

    private const int SecretBytes = 32;
    private const int SecretLength = 43;
    private const int LocatorLength = 9;
    private static readonly TimeSpan BucketWidth = TimeSpan.FromHours(1);

    private TokenHandle(string value, TokenKind kind, int shard, int bucket)
    {
        Value = value;
        Kind = kind;
        Shard = shard;
        Bucket = bucket;
        Hash = HashOf(value);
    }

    /// <summary>The credential as given to the client. Never logged, never stored.</summary>
    public string Value { get; }

    public TokenKind Kind { get; }

    public int Shard { get; }

    /// <summary>The hour (since the Unix epoch) in which the credential expires, or <see cref="NeverBucket"/>.</summary>
    public int Bucket { get; }

    /// <summary>SHA-256 of <see cref="Value"/>, base64url: what storage keeps.</summary>
    public string Hash { get; }

    /// <summary>Where the credential is stored.</summary>
    public TokenRef Ref => new(Kind, Shard, Bucket, Hash);

    /// <summary>Mints a new credential expiring at <paramref name="expiresAt"/> (never when null).</summary>
    public static TokenHandle Issue(TokenKind kind, DateTimeOffset? expiresAt, int? shard = null)
    {
        var bucket = expiresAt is { } at ? BucketOf(at) : NeverBucket;
        var chosenShard = shard ?? RandomNumberGenerator.GetInt32(ShardCount);
        if (chosenShard is < 0 or >= ShardCount)
        {
            throw new ArgumentOutOfRangeException(nameof(shard));
        }

        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var value = string.Create(
            CultureInfo.InvariantCulture,
            $"{(char)kind}{chosenShard}{bucket:D7}{Base64Url.EncodeToString(secret)}");
        return new TokenHandle(value, kind, chosenShard, bucket);
    }

    /// <summary>Parses a presented credential of the expected kind; false for anything malformed.</summary>
    public static bool TryParse(string? value, TokenKind expected, out TokenHandle? handle)
    {
        handle = null;
        if (!TryParse(value, out var parsed) || parsed!.Kind != expected)
        {
            return false;
        }

        handle = parsed;
        return true;
    }

    /// <summary>Parses a presented credential of any kind; false for anything malformed.</summary>
    public static bool TryParse(string? value, out TokenHandle? handle)
    {
        handle = null;
        if (value is null || value.Length != 1 + LocatorLength - 1 + SecretLength)
        {
            return false;
        }

        var kind = (TokenKind)value[0];
        if (kind is not (TokenKind.AuthorizationCode or TokenKind.AccessToken or TokenKind.RefreshToken))
        {
            return false;
        }

        var shard = value[1] - '0';
        if (shard is < 0 or >= ShardCount
            || !int.TryParse(value.AsSpan(2, 7), NumberStyles.None, CultureInfo.InvariantCulture, out var bucket)
            || !IsBase64Url(value.AsSpan(LocatorLength)))
        {
            return false;
        }

        handle = new TokenHandle(value, kind, shard, bucket);
        return true;
    }

    /// <summary>The expiry hour of <paramref name="expiresAt"/>.</summary>
    public static int BucketOf(DateTimeOffset expiresAt) =>
        (int)(expiresAt.ToUnixTimeSeconds() / (long)BucketWidth.TotalSeconds);

    /// <summary>
    /// True when the credential's whole expiry hour is over, so it is expired whatever storage holds; such a value
    /// is refused without a storage read.
    /// </summary>
    public bool ExpiredBefore(DateTimeOffset now) => Bucket < BucketOf(now);

    /// <summary>SHA-256 of a credential or secret, base64url without padding.</summary>
    public static string HashOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), digest);
        return Base64Url.EncodeToString(digest);
    }

    private static bool IsBase64Url(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"{(char)Kind}{Shard}{Bucket:D7}…";
}
