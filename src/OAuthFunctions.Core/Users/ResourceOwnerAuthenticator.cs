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

    /// <summary>
    /// Every failure takes at least this long, so that neither the password check nor the extra write that records
    /// a known user's failure tells an observer whether the account exists.
    /// </summary>
    public static readonly TimeSpan FailureFloor = TimeSpan.FromMilliseconds(400);

    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(Decoy, Guid.NewGuid().ToString("N")));

    private static readonly User Decoy = new() { UserId = string.Empty, Username = string.Empty, PasswordHash = string.Empty, CreatedAt = default };

    public async Task<SignInOutcome> SignInAsync(string username, string password, string? remoteAddress, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await CheckAsync(username, password, remoteAddress, cancellationToken);
        if (!outcome.Succeeded && System.Diagnostics.Stopwatch.GetElapsedTime(started) is var elapsed && elapsed < FailureFloor)
        {
            await Task.Delay(FailureFloor - elapsed, cancellationToken);
        }

        return outcome;
    }

    private async Task<SignInOutcome> CheckAsync(string username, string password, string? remoteAddress, CancellationToken cancellationToken)
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

            // Re-applied on conflict, so a burst of parallel guesses counts every guess.
            await users.UpdateAsync(
                user,
                current => current with
                {
                    FailedLogins = current.FailedLogins + 1,
                    LockedUntil = current.FailedLogins + 1 >= MaxFailures ? now + Lockout : current.LockedUntil,
                },
                cancellationToken);
            return SignInOutcome.Failed;
        }

        if (user.Disabled)
        {
            return SignInOutcome.Failed;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded || user.FailedLogins > 0 || user.LockedUntil is not null)
        {
            // Only if the row is unchanged since it was verified: a password an administrator set meanwhile wins.
            var upgraded = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(user, password) : user.PasswordHash;
            await users.TryReplaceAsync(user with { PasswordHash = upgraded, FailedLogins = 0, LockedUntil = null }, cancellationToken);
        }

        return new SignInOutcome(user, false);
    }
}
