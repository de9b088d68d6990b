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

        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>A Django PBKDF2 password hash (<c>django.contrib.auth.hashers.PBKDF2PasswordHasher</c> and its SHA-1 variant).</summary>
public sealed class DjangoHash
{
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

        var algorithm = parts[0] switch
        {
            "pbkdf2_sha256" => HashAlgorithmName.SHA256,
            "pbkdf2_sha1" => HashAlgorithmName.SHA1,
            _ => default,
        };
        if (algorithm == default || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > 10_000_000 || parts[2].Length == 0)
        {
            return false;
        }

        var bytes = new byte[64];
        if (!Convert.TryFromBase64String(parts[3], bytes, out var written) || written == 0)
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
