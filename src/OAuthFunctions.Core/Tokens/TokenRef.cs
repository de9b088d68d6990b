using System.Globalization;

namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// Where a stored credential lives, without its value: what one stored row needs to point at another (a code at the
/// access token it produced, a family at its live access token). Its text form, <c>{kind}{shard}{bucket:D7}{hash}</c>,
/// is the locator of <see cref="TokenHandle"/> with the hash in place of the secret.
/// </summary>
public readonly record struct TokenRef(TokenKind Kind, int Shard, int Bucket, string Hash)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(char)Kind}{TokenHandle.ShardChar(Shard)}{Bucket:D7}{Hash}");

    public static bool TryParse(string? encoded, out TokenRef token)
    {
        token = default;
        if (encoded is null || encoded.Length <= TokenHandle.LocatorLength
            || !TokenHandle.TryParseLocator(encoded.AsSpan(0, TokenHandle.LocatorLength), out var kind, out var shard, out var bucket))
        {
            return false;
        }

        token = new TokenRef(kind, shard, bucket, encoded[TokenHandle.LocatorLength..]);
        return true;
    }
}
