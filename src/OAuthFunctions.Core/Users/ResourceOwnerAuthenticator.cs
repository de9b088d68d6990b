using Microsoft.AspNetCore.Identity;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// Checks a resource owner's username and password for the login page and the password grant, with brute-force
/// protection: per address (<see cref="LoginThrottle"/>) and per user (after <see cref="MaxFailures"/> consecutive
/// failures the account refuses sign-in for <see cref="Lockout"/>, recorded on the user's row). Unknown users cost
/// the same hash verification as known ones, and every failure looks the same to the caller.
/// One storage read on success; a write only when failures must be recorded or cleared.
/// </summary>
public sealed class ResourceOwnerAuthenticator(IUserStore users, IPasswordHasher<User> hasher, LoginThrottle throttle, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(Decoy, Guid.NewGuid().ToString("N")));

    private static readonly User Decoy = new() { UserId = string.Empty, Username = string.Empty, PasswordHash = string.Empty, CreatedAt = default };

    public async Task<SignInOutcome> SignInAsync(string username, string password, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        if (throttle.IsBlocked(remoteAddress))
        {
            return SignInOutcome.Blocked;
        }

        var user = Usernames.IsValid(username) ? await users.FindAsync(username, cancellationToken) : null;
        var now = time.GetUtcNow();
        if (user is null || user.LockedUntil > now)
        {
            // Same work as a real check, so response time does not tell whether the account exists or is locked.
            hasher.VerifyHashedPassword(Decoy, _decoyHash.Value, password);
            throttle.RecordFailure(remoteAddress);
            return SignInOutcome.Failed;
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            throttle.RecordFailure(remoteAddress);
            var failures = user.FailedLogins + 1;
            await users.RecordSignInAsync(user, failures, failures >= MaxFailures ? now + Lockout : null, cancellationToken);
            return SignInOutcome.Failed;
        }

        if (user.Disabled)
        {
            return SignInOutcome.Failed;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await users.SetPasswordHashAsync(user.Username, hasher.HashPassword(user, password), cancellationToken);
        }
        else if (user.FailedLogins > 0 || user.LockedUntil is not null)
        {
            await users.RecordSignInAsync(user, 0, null, cancellationToken);
        }

        return new SignInOutcome(user, false);
    }
}
