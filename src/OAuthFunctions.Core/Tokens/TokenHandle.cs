using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// An authorization code, access token or refresh token as the client holds it: 256 random bits behind a short
/// locator that tells storage where the row is without a search (docs/ARCHITECTURE.md, "Keys"). The one place
/// that writes and reads the formats:
/// <list type="bullet">
/// <item>codes and access tokens: <c>{c|a}{shard}{expiry-hour:D7}{secret:43}</c>, 52 characters. The shard is one
/// character, <c>0</c>–<c>9</c>, <c>a</c>–<c>z</c>, <c>A</c>–<c>Z</c> for shards 0–61 (<see cref="ShardChar"/>): tokens
/// issued before the shard count became a setting used <c>0</c>–<c>3</c> and read unchanged, and a token issued under
/// any setting names its own partition, so lowering or raising <c>OAuth__TokenShards</c> strands nothing;</item>
/// <item>refresh tokens: <c>f{family id:22}{secret:43}</c>, 66 characters. The family id names the token's rotation
/// family, whose row records which token of the family is the live one and until when it lives. The string carries no
/// expiry: a rotated token presented long after it was replaced must still reach its family, to end it;</item>
/// <item>refresh tokens issued before families: <c>r{shard}{expiry-hour:D7}{secret:43}</c>, still accepted (a row
/// each; using one turns it into a family).</item>
/// </list>
/// Only <see cref="Hash"/> is ever stored; the value is never logged.
/// </summary>
public sealed class TokenHandle
{
    /// <summary>
    /// The most partitions an expiry hour can be spread over (<c>OAuth__TokenShards</c>, docs/PERFORMANCE.md, "Scale"):
    /// one locator character. Purge scans every one of them, whatever the setting is now.
    /// </summary>
    public const int MaxShards = 62;

    /// <summary>Shards per expiry hour when the caller does not say (<c>OAuth__TokenShards</c>' default).</summary>
    public const int DefaultShards = 16;

    /// <summary>The bucket of things that never expire (refresh tokens when <c>RefreshTokenLifetime</c> is none).</summary>
    public const int NeverBucket = 9_999_999;

    /// <summary>The first character of a refresh token that belongs to a family.</summary>
    public const char FamilyRefreshPrefix = FamilyKey.Prefix;

    /// <summary><c>{kind}{shard}{bucket:D7}</c>.</summary>
    internal const int LocatorLength = 9;

    private const int SecretBytes = 32;
    private const int SecretLength = 43;
    private const int RowTokenLength = LocatorLength + SecretLength;
    private const int FamilyTokenLength = 1 + FamilyKey.IdLength + SecretLength;
    private static readonly TimeSpan BucketWidth = TimeSpan.FromHours(1);

    private TokenHandle(string value, TokenKind kind, int shard, int bucket, string? familyId)
    {
        Value = value;
        Kind = kind;
        Shard = shard;
        Bucket = bucket;
        FamilyId = familyId;
        Hash = HashOf(value);
    }

    /// <summary>The credential as given to the client. Never logged, never stored.</summary>
    public string Value { get; }

    public TokenKind Kind { get; }

    /// <summary>The shard of the row (codes, access tokens, refresh tokens from before families).</summary>
    public int Shard { get; }

    /// <summary>
    /// The hour (since the Unix epoch) in which the credential expires, or <see cref="NeverBucket"/>; always the latter
    /// for a refresh token of a family, whose expiry is its family's.
    /// </summary>
    public int Bucket { get; }

    /// <summary>SHA-256 of <see cref="Value"/>, base64url: what storage keeps.</summary>
    public string Hash { get; }

    /// <summary>The rotation family of a refresh token (a secret, like the value it is part of); null for other tokens.</summary>
    public string? FamilyId { get; }

    /// <summary>Where the family's row is, for a refresh token of a family.</summary>
    public FamilyKey? Family => FamilyId is null ? null : FamilyKey.Of(FamilyId);

    /// <summary>Where the row of a code, access token or pre-family refresh token is.</summary>
    public TokenRef Ref => FamilyId is null
        ? new(Kind, Shard, Bucket, Hash)
        : throw new InvalidOperationException("A refresh token of a family has no row of its own; see Family.");

    /// <summary>
    /// Mints a code or access token expiring at <paramref name="expiresAt"/>, in <paramref name="shard"/> or in a random
    /// one of the first <paramref name="shards"/>.
    /// </summary>
    public static TokenHandle Issue(TokenKind kind, DateTimeOffset? expiresAt, int? shard = null, int shards = DefaultShards)
    {
        if (kind is not (TokenKind.AuthorizationCode or TokenKind.AccessToken))
        {
            throw new ArgumentException("Refresh tokens belong to a family: use IssueRefresh.", nameof(kind));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shards, MaxShards);
        var bucket = BucketOrNever(expiresAt);
        var chosenShard = shard ?? RandomNumberGenerator.GetInt32(shards);
        if (chosenShard is < 0 or >= MaxShards)
        {
            throw new ArgumentOutOfRangeException(nameof(shard));
        }

        var value = string.Create(CultureInfo.InvariantCulture, $"{(char)kind}{ShardChar(chosenShard)}{bucket:D7}{NewSecret()}");
        return new TokenHandle(value, kind, chosenShard, bucket, familyId: null);
    }

    /// <summary>Mints a refresh token of the family <paramref name="familyId"/>.</summary>
    public static TokenHandle IssueRefresh(string familyId)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        if (familyId.Length != FamilyKey.IdLength || !IsBase64Url(familyId))
        {
            throw new ArgumentException("Not a family id.", nameof(familyId));
        }

        var value = string.Create(CultureInfo.InvariantCulture, $"{FamilyRefreshPrefix}{familyId}{NewSecret()}");
        return new TokenHandle(value, TokenKind.RefreshToken, 0, NeverBucket, familyId);
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
        if (value is { Length: FamilyTokenLength } && value[0] == FamilyRefreshPrefix)
        {
            if (!IsBase64Url(value.AsSpan(1)))
            {
                return false;
            }

            handle = new TokenHandle(value, TokenKind.RefreshToken, 0, NeverBucket, value.Substring(1, FamilyKey.IdLength));
            return true;
        }

        if (value is not { Length: RowTokenLength }
            || !TryParseLocator(value.AsSpan(0, LocatorLength), out var kind, out var shard, out var bucket)
            || !IsBase64Url(value.AsSpan(LocatorLength)))
        {
            return false;
        }

        handle = new TokenHandle(value, kind, shard, bucket, familyId: null);
        return true;
    }

    /// <summary>
    /// Whether a string that is not in this server's formats could be a token imported from django-oauth2-provider (its
    /// <c>long_token()</c>: a SHA-1 hex digest, 40 characters; custom generators may differ, so 20 to 128 URL-safe
    /// characters). Such a string is looked up by its hash in the import index (docs/MIGRATING.md).
    /// </summary>
    public static bool IsImportedToken(string? value) =>
        value is { Length: >= 20 and <= 128 } && !TryParse(value, out _) && IsBase64Url(value);

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

    public override string ToString() => FamilyId is null ? $"{(char)Kind}{ShardChar(Shard)}{Bucket:D7}…" : $"{FamilyRefreshPrefix}…";

    /// <summary>The locator character of a shard: <c>0</c>–<c>9</c>, then <c>a</c>–<c>z</c>, then <c>A</c>–<c>Z</c>.</summary>
    internal static char ShardChar(int shard) => shard switch
    {
        >= 0 and < 10 => (char)('0' + shard),
        >= 10 and < 36 => (char)('a' + shard - 10),
        >= 36 and < MaxShards => (char)('A' + shard - 36),
        _ => throw new ArgumentOutOfRangeException(nameof(shard)),
    };

    /// <summary>The shard a locator character names, or -1.</summary>
    internal static int ShardOf(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 36,
        _ => -1,
    };

    /// <summary>Reads <c>{kind}{shard}{bucket:D7}</c> of a code, an access token or a pre-family refresh token.</summary>
    internal static bool TryParseLocator(ReadOnlySpan<char> locator, out TokenKind kind, out int shard, out int bucket)
    {
        kind = (TokenKind)locator[0];
        shard = ShardOf(locator[1]);
        bucket = 0;
        return kind is TokenKind.AuthorizationCode or TokenKind.AccessToken or TokenKind.RefreshToken
            && shard >= 0
            && int.TryParse(locator.Slice(2, 7), NumberStyles.None, CultureInfo.InvariantCulture, out bucket);
    }

    private static int BucketOrNever(DateTimeOffset? expiresAt) => expiresAt is { } at ? BucketOf(at) : NeverBucket;

    private static string NewSecret()
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        return Base64Url.EncodeToString(secret);
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
}
