using System.Buffers.Text;
using System.Security.Cryptography;

namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// Where a refresh token family lives: the SHA-256 of its id. The id itself (128 random bits) travels only inside
/// the family's refresh tokens, so a copy of the storage account does not tell anyone how to name a family.
/// </summary>
public readonly record struct FamilyKey(string Hash)
{
    /// <summary>The prefix that tells a family link from a <see cref="TokenRef"/> link in a stored row.</summary>
    public const char Prefix = 'f';

    /// <summary>The length of a family id in a refresh token: 16 random bytes, base64url.</summary>
    public const int IdLength = 22;

    /// <summary>A new family id (a secret: it is part of every refresh token of the family).</summary>
    public static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static FamilyKey Of(string familyId) => new(TokenHandle.HashOf(familyId));

    /// <summary>The form stored in rows that point at a family (a code, a tombstone, a rotated v1 refresh token).</summary>
    public override string ToString() => Prefix + Hash;

    public static bool TryParse(string? encoded, out FamilyKey key)
    {
        key = default;
        if (encoded is not { Length: 44 } || encoded[0] != Prefix)
        {
            return false;
        }

        key = new FamilyKey(encoded[1..]);
        return true;
    }
}
