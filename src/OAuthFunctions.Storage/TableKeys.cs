using System.Buffers.Text;
using System.Globalization;
using System.Text;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Storage;

/// <summary>
/// Every partition and row key the server uses (docs/ARCHITECTURE.md, "Keys"):
/// <list type="bullet">
/// <item>Clients: PartitionKey = client_id, RowKey = "" — one partition per client.</item>
/// <item>Clients — the origin index: PartitionKey = "o~{base64url of the serialized origin}", RowKey = "origin"; the
/// row lists the clients that allow the origin (docs/ARCHITECTURE.md, "Browser apps: the origin index").</item>
/// <item>Users: PartitionKey = username, RowKey = "".</item>
/// <item>Tokens — codes, access tokens, pre-family refresh tokens, tombstones: PartitionKey = "{shard}-{expiry hour:D7}",
/// RowKey = "{kind}{SHA-256 of the value}". The expiry hour comes from the token string itself, so a lookup is a point
/// read and purge deletes whole past hours without touching live rows.</item>
/// <item>Tokens — refresh token families: PartitionKey = "f{SHA-256 of the family id}", RowKey = "" — one partition
/// per family, never in a purge range ("f" sorts after every digit); purge reaches them through tombstones.</item>
/// <item>Tokens — the index of imported tokens: PartitionKey = "x{two characters}", RowKey = the token's SHA-256.</item>
/// </list>
/// </summary>
public static class TableKeys
{
    /// <summary>Row key prefix of a tombstone: "look at this row again when my hour has passed".</summary>
    public const char TombstoneKind = 't';

    public const string SingletonRow = "";

    /// <summary>Row key of an origin index row; a client's row key is always <see cref="SingletonRow"/>.</summary>
    public const string OriginIndexRow = "origin";

    /// <summary>
    /// The partition of an allowed origin's index row: base64url of the serialized origin (an origin holds '/', which a
    /// key cannot), after "o~", which no generated client id contains. At most 302 characters, within the 1 KiB limit.
    /// </summary>
    public static string OriginPartition(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return "o~" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(origin));
    }

    public static string TokenPartition(int shard, int bucket) =>
        string.Create(CultureInfo.InvariantCulture, $"{shard}-{bucket:D7}");

    public static string TokenPartition(TokenRef token) => TokenPartition(token.Shard, token.Bucket);

    public static string TokenRow(TokenRef token) => string.Create(CultureInfo.InvariantCulture, $"{(char)token.Kind}{token.Hash}");

    public static string FamilyPartition(FamilyKey family) => family.ToString();

    /// <summary>
    /// The index of tokens imported from django-oauth2-provider: PartitionKey "x{first two characters of the hash}"
    /// (4,096 partitions, none in a purge range), RowKey the SHA-256 of the token's value; the row names where the token
    /// is stored. Purge deletes it with the token.
    /// </summary>
    public static string ImportIndexPartition(string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return "x" + hash[..2];
    }

    /// <summary>Prefix of a tombstone's target that names an import index row (by the token's hash) instead of a token.</summary>
    public const char ImportIndexTargetPrefix = 'i';

    public static string ImportIndexTarget(string hash) => ImportIndexTargetPrefix + hash;

    /// <summary>The <see cref="TokenRef"/> of a row keyed by expiry hour and hash, or null for any other row.</summary>
    public static TokenRef? RefOf(Entities.TokenEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var dash = row.PartitionKey.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && row.RowKey.Length > 1
            && int.TryParse(row.PartitionKey.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
            && int.TryParse(row.PartitionKey.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bucket)
            ? new TokenRef((TokenKind)row.RowKey[0], shard, bucket, row.RowKey[1..])
            : null;
    }

    /// <param name="target">The stored form of a <see cref="TokenRef"/> or a <see cref="FamilyKey"/>.</param>
    public static string TombstoneRow(string target) => TombstoneKind + target;

    /// <summary>
    /// Whether a value can be a key at all (Table Storage forbids '/', '\', '#', '?' and control characters).
    /// Request data that fails this is "not found", never a storage round trip.
    /// </summary>
    public static bool IsValidKey(string? value) =>
        value is { Length: > 0 and <= 256 } && !value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
