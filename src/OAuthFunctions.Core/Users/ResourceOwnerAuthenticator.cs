using Microsoft.AspNetCore.Identity;
using OAuthFunctions.Core.Security;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// Checks a resource owner's username and password for the login page and the password grant. The guess budget is
/// decided before the password is checked: a guess is first counted per address (<see cref="LoginThrottle"/>) and
/// against the account (<see cref="UserAccounts.ReserveGuessAsync"/>, a conditional write on the user's row that
/// every instance sees), and only a counted guess is checked. After <see cref="MaxFailures"/> wrong passwords the
/// account refuses sign-in for <see cref="Lockout"/>. A sign-in whose account changed while its password was checked
/// (a new password, disabled) fails. Unknown users and locked accounts cost the same hash verification as a real
/// check, every failure looks the same to the caller and takes at least <see cref="FailureFloor"/>. Storage: a read,
/// the reservation, and the write that settles it.
/// </summary>
public sealed class ResourceOwnerAuthenticator(
    IUserStore users,
    UserAccounts accounts,
    IPasswordHasher<User> hasher,
    LoginThrottle throttle,
    SecurityLog security,
    TimeProvider time,
    GuessBudget? budget = null)
{
    private readonly GuessBudget _budget = budget ?? GuessBudget.Default;

    public const int MaxFailures = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Every failure takes at least this long (on the injected clock), so that neither the password check nor the
    /// writes for a known user tell an observer whether the account exists.
    /// </summary>
    public static readonly TimeSpan FailureFloor = TimeSpan.FromMilliseconds(400);

    private static readonly User Decoy = new() { UserId = string.Empty, Username = string.Empty, PasswordHash = string.Empty, CreatedAt = default };

    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(Decoy, Guid.NewGuid().ToString("N")));

    public async Task<SignInOutcome> SignInAsync(string username, string password, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        var started = time.GetTimestamp();
        var outcome = await CheckAsync(username, password, remoteAddress, cancellationToken);
        if (!outcome.Succeeded && time.GetElapsedTime(started) is var elapsed && elapsed < FailureFloor)
        {
            await Task.Delay(FailureFloor - elapsed, time, cancellationToken);
        }

        return outcome;
    }

    private async Task<SignInOutcome> CheckAsync(string username, string password, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (!throttle.TryReserve(remoteAddress))
        {
            security.SignInThrottled(remoteAddress);
            return SignInOutcome.Blocked;
        }

        var user = Usernames.IsValid(username) ? await users.FindAsync(username, cancellationToken) : null;
        if (user is null)
        {
            // Same work as a real check, so response time does not tell whether the account exists.
            hasher.VerifyHashedPassword(Decoy, _decoyHash.Value, password);
            security.SignInFailed(null, remoteAddress, "unknown user");
            return SignInOutcome.Failed;
        }

        if (await accounts.ReserveGuessAsync(user, _budget, time, cancellationToken) is not { } reserved)
        {
            hasher.VerifyHashedPassword(Decoy, _decoyHash.Value, password);
            security.SignInRefusedLocked(user.UserId, remoteAddress);
            return SignInOutcome.Failed;
        }

        var verdict = hasher.VerifyHashedPassword(reserved, reserved.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            security.SignInFailed(user.UserId, remoteAddress, "wrong password");
            if (await accounts.RecordFailureAsync(reserved, _budget, time.GetUtcNow(), cancellationToken) is { LockedUntil: { } until } locked
                && locked.FailedLogins >= _budget.MaxFailures)
            {
                security.AccountLocked(user.UserId, until, locked.FailedLogins, remoteAddress);
            }

            return SignInOutcome.Failed;
        }

        throttle.Release(remoteAddress);
        var upgraded = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(reserved, password) : null;
        if (await accounts.RecordSuccessAsync(reserved, upgraded, cancellationToken) is not { } signedIn)
        {
            // The password checked is no longer the account's (changed or disabled meanwhile), or the row is gone.
            security.SignInFailed(user.UserId, remoteAddress, "account changed during the check");
            return SignInOutcome.Failed;
        }

        if (signedIn.Disabled)
        {
            security.SignInFailed(user.UserId, remoteAddress, "account disabled");
            return SignInOutcome.Failed;
        }

        security.SignInSucceeded(user.UserId, remoteAddress);
        return new SignInOutcome(signedIn, false);
    }
}
