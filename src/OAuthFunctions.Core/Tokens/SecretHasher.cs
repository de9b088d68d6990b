using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OAuthFunctions.Core.Tokens;

/// <summary>
/// Client secrets: 256 generated bits, shown once, stored as SHA-256 and compared in fixed time. A fast hash is
/// enough for a high-entropy secret (there is nothing to brute-force) and keeps client authentication cheap;
/// a slow KDF is for human passwords, which use <c>PasswordHasher&lt;T&gt;</c>.
/// </summary>
public static class SecretHasher
{
    /// <summary>A new client secret (43 URL-safe characters).</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new public client identifier (22 URL-safe characters).</summary>
    public static string NewClientId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static string Hash(string secret) => TokenHandle.HashOf(secret);

    /// <summary>Compares a presented secret with a stored hash in time independent of where they differ.</summary>
    public static bool Verify(string presented, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(storedHash);
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), actual);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (!Base64Url.IsValid(storedHash, out var length) || length != SHA256.HashSizeInBytes)
        {
            // A corrupted stored hash authenticates nobody; it is not a server fault.
            return false;
        }

        return Base64Url.TryDecodeFromChars(storedHash, expected, out var written)
            && written == SHA256.HashSizeInBytes
            && CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
