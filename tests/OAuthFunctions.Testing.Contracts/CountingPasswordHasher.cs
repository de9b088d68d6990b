using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>
/// ASP.NET Core Identity's hasher, counting how often a real user's password was checked (decoy checks are not).
/// Unit tests pass a low <paramref name="iterations"/> count to stay fast; the format and the rules are the same.
/// </summary>
public sealed class CountingPasswordHasher(int iterations = 100_000) : IPasswordHasher<User>
{
    private readonly PasswordHasher<User> _inner = new(Options.Create(new PasswordHasherOptions { IterationCount = iterations }));
    private int _checks;

    public int Checks => Volatile.Read(ref _checks);

    public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Username.Length > 0)
        {
            Interlocked.Increment(ref _checks);
        }

        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
