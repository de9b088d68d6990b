using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// ASP.NET Core Identity's <c>PasswordHasher&lt;T&gt;</c>, which also verifies the password hashes of users imported
/// from Django (<c>pbkdf2_sha256$iterations$salt$hash</c> and <c>pbkdf2_sha1$…</c>, Django's own formats): a correct
/// password against a Django hash answers <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>, so the first
/// successful sign-in replaces it with this server's hash (docs/MIGRATING.md). Any other Django format is never
/// imported as usable (the user is imported disabled).
/// </summary>
public sealed class MigratingPasswordHasher(IOptions<PasswordHasherOptions>? options = null) : IPasswordHasher<User>
{
    private readonly PasswordHasher<User> _inner = new(options);

    public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(hashedPassword);
        ArgumentNullException.ThrowIfNull(providedPassword);
        if (DjangoHash.TryParse(hashedPassword, out var django))
        {
            return django.Matches(providedPassword) ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Failed;
        }

        // Any other "algorithm$…" string (a truncated or unknown Django hash) verifies nothing; so does a corrupted hash
        // of this server's format, which ASP.NET Core's hasher would report by throwing.
        if (hashedPassword.Contains('$', StringComparison.Ordinal))
        {
            return PasswordVerificationResult.Failed;
        }

        try
        {
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
        catch (FormatException)
        {
            return PasswordVerificationResult.Failed;
        }
    }
}

/// <summary>A Django PBKDF2 password hash (<c>django.contrib.auth.hashers.PBKDF2PasswordHasher</c> and its SHA-1 variant).</summary>
public sealed class DjangoHash
{
    /// <summary>
    /// Above Django's own defaults (1.2 million in Django 5.2): a larger count would make every sign-in of that user
    /// seconds of CPU. Such a user is imported disabled.
    /// </summary>
    public const int MaxIterations = 2_000_000;

    private DjangoHash(HashAlgorithmName algorithm, int iterations, string salt, byte[] hash)
    {
        Algorithm = algorithm;
        Iterations = iterations;
        Salt = salt;
        Hash = hash;
    }

    public HashAlgorithmName Algorithm { get; }

    public int Iterations { get; }

    public string Salt { get; }

    private byte[] Hash { get; }

    /// <summary>Django's encoding: <c>algorithm$iterations$salt$base64(PBKDF2(UTF-8 password, UTF-8 salt))</c>.</summary>
    public static bool TryParse(string? encoded, out DjangoHash hash)
    {
        hash = null!;
        var parts = encoded?.Split('$');
        if (parts is not { Length: 4 })
        {
            return false;
        }

        // Django derives a full digest (32 bytes for SHA-256, 20 for SHA-1): a shorter stored hash would match many
        // passwords, so it is not accepted.
        var (algorithm, length) = parts[0] switch
        {
            "pbkdf2_sha256" => (HashAlgorithmName.SHA256, 32),
            "pbkdf2_sha1" => (HashAlgorithmName.SHA1, 20),
            _ => (default(HashAlgorithmName), 0),
        };
        if (length == 0 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > MaxIterations || parts[2].Length == 0)
        {
            return false;
        }

        var bytes = new byte[64];
        if (!Convert.TryFromBase64String(parts[3], bytes, out var written) || written != length)
        {
            return false;
        }

        hash = new DjangoHash(algorithm, iterations, parts[2], bytes[..written]);
        return true;
    }

    /// <summary>Whether <paramref name="password"/> produces this hash (compared in fixed time).</summary>
    public bool Matches(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var computed = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(Salt), Iterations, Algorithm, Hash.Length);
        return CryptographicOperations.FixedTimeEquals(computed, Hash);
    }
}
