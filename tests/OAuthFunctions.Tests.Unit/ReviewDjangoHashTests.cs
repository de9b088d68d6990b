using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// A reviewer's attack on the verification of imported Django hashes (issue 15). Django's
/// <c>PBKDF2PasswordHasher.verify</c> recomputes the whole digest (32 bytes for SHA-256, 20 for SHA-1) and compares the
/// encoded strings, so a hash of any other length never matches there.
/// </summary>
public sealed class ReviewDjangoHashTests
{
    private const string Salt = "reviewsalt";
    private const int Iterations = 1000;

    [Fact]
    public void A_truncated_django_hash_does_not_accept_a_wrong_password()
    {
        const int length = 1;
        // A dump whose hash column was cut short (a tool with a column limit, a hand edit): verified with the stored
        // length as the key length, one byte matches one wrong password in 256 — five guesses per lockout window
        // find one within a day.
        var full = Pbkdf2("the real password", 32);
        var encoded = $"pbkdf2_sha256${Iterations}${Salt}${Convert.ToBase64String(full[..length])}";
        var wrong = Enumerable.Range(0, 1_000_000).Select(i => "guess-" + i.ToString(CultureInfo.InvariantCulture))
            .First(guess => Pbkdf2(guess, length).AsSpan().SequenceEqual(full.AsSpan(0, length)));

        var result = new MigratingPasswordHasher().VerifyHashedPassword(new User { UserId = "u", Username = "u", PasswordHash = encoded, CreatedAt = DateTimeOffset.UnixEpoch }, encoded, wrong);

        Assert.True(result == PasswordVerificationResult.Failed, $"The wrong password '{wrong}' verified against a one-byte Django hash.");
    }

    [Fact]
    public void A_full_length_hash_made_here_the_django_way_verifies()
    {
        var encoded = $"pbkdf2_sha256${Iterations}${Salt}${Convert.ToBase64String(Pbkdf2("the real password", 32))}";

        Assert.True(DjangoHash.TryParse(encoded, out var hash));
        Assert.True(hash.Matches("the real password"));
        Assert.False(hash.Matches("the real passworD"));
    }

    [Theory]
    [InlineData(DjangoHash.MaxIterations, true)]
    [InlineData(DjangoHash.MaxIterations + 1, false)]
    [InlineData(10_000_000, false)]
    public void Iterations_are_bounded_above_djangos_own_defaults(int iterations, bool parsed) =>
        // 10 million SHA-256 iterations took 3-13 s of one core here, per sign-in attempt: a dump cannot ask for that.
        Assert.Equal(parsed, DjangoHash.TryParse($"pbkdf2_sha256${iterations}${Salt}$" + Convert.ToBase64String(new byte[32]), out _));

    private static byte[] Pbkdf2(string password, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(Salt), Iterations, HashAlgorithmName.SHA256, length);
}
