using System.Globalization;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Storage;

/// <summary>
/// Every partition and row key the server uses (docs/ARCHITECTURE.md, "Keys"):
/// <list type="bullet">
/// <item>Clients: PartitionKey = client_id, RowKey = "" — one partition per client.</item>
/// <item>Users: PartitionKey = username, RowKey = "".</item>
/// <item>Tokens (codes, access and refresh tokens, tombstones): PartitionKey = "{shard}-{expiry hour:D7}",
/// RowKey = "{kind}{SHA-256 of the value}". The expiry hour comes from the token string itself, so a lookup is a
/// point read and purge deletes whole past hours without touching live rows.</item>
/// </list>
/// </summary>
public static class TableKeys
{
    /// <summary>Row key prefix of a tombstone: "delete this rotated refresh token later".</summary>
    public const char TombstoneKind = 't';

    public const string SingletonRow = "";

    public static string TokenPartition(int shard, int bucket) =>
        string.Create(CultureInfo.InvariantCulture, $"{shard}-{bucket:D7}");

    public static string TokenPartition(TokenRef token) => TokenPartition(token.Shard, token.Bucket);

    public static string TokenRow(TokenRef token) => string.Create(CultureInfo.InvariantCulture, $"{(char)token.Kind}{token.Hash}");

    public static string TombstoneRow(TokenRef target) => TombstoneKind + Encode(target);

    /// <summary>A compact, reversible form of a <see cref="TokenRef"/> for links between rows.</summary>
    public static string Encode(TokenRef token) =>
        string.Create(CultureInfo.InvariantCulture, $"{(char)token.Kind}{token.Shard}{token.Bucket:D7}{token.Hash}");

    public static TokenRef? Decode(string? encoded)
    {
        if (encoded is null || encoded.Length < 10
            || encoded[1] is < '0' or > '9'
            || !int.TryParse(encoded.AsSpan(2, 7), NumberStyles.None, CultureInfo.InvariantCulture, out var bucket))
        {
            return null;
        }

        return new TokenRef((TokenKind)encoded[0], encoded[1] - '0', bucket, encoded[9..]);
    }

    /// <summary>
    /// Whether a value can be a key at all (Table Storage forbids '/', '\', '#', '?' and control characters).
    /// Request data that fails this is "not found", never a storage round trip.
    /// </summary>
    public static bool IsValidKey(string? value) =>
        value is { Length: > 0 and <= 256 } && !value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
