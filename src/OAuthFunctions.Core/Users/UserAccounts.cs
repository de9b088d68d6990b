using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// Changes to a user's row that must not be lost to a concurrent writer: each is applied to the row as read and
/// written back only if the row is unchanged since (<see cref="IUserStore.TryReplaceAsync"/>); on a conflict the row is
/// read again and the change re-applied. The rules (what a password change or a guess does to the row) live here; the
/// store only gives the conditional write.
/// </summary>
public sealed class UserAccounts(IUserStore users)
{
    /// <summary>How often a conflicting change is re-applied before giving up (every guess of a burst must count).</summary>
    public const int MaxAttempts = 16;

    /// <summary>
    /// A new password, a new security stamp (ending every sign-in and refusing every refresh token issued under the old
    /// one) and no lockout. Null if there is no such user.
    /// </summary>
    public Task<User?> SetPasswordAsync(string username, string passwordHash, CancellationToken cancellationToken) =>
        ChangeAsync(
            username,
            user => user with { PasswordHash = passwordHash, SecurityStamp = User.NewSecurityStamp(), FailedLogins = 0, LockedUntil = null },
            cancellationToken);

    /// <summary>A new security stamp only: every sign-in ends and every refresh token is refused. Null if there is no such user.</summary>
    public Task<User?> EndSignInsAsync(string username, CancellationToken cancellationToken) =>
        ChangeAsync(username, user => user with { SecurityStamp = User.NewSecurityStamp() }, cancellationToken);

    /// <summary>Disabling also changes the stamp, so enabling again does not revive old sign-ins or tokens. Null if there is no such user.</summary>
    public Task<User?> SetDisabledAsync(string username, bool disabled, CancellationToken cancellationToken) =>
        ChangeAsync(
            username,
            user => disabled ? user with { Disabled = true, SecurityStamp = User.NewSecurityStamp() } : user with { Disabled = false },
            cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the user's current row; null if there is no such user.</summary>
    public async Task<User?> ChangeAsync(string username, Func<User, User> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await users.FindAsync(username, cancellationToken) is not { } current)
            {
                return null;
            }

            if (await users.TryReplaceAsync(change(current), cancellationToken) is { } stored)
            {
                return stored;
            }
        }

        throw new StorageUnavailableException("The user's row kept changing; the change was not applied.");
    }

    /// <summary>
    /// Reserves one guess against the account before its password is checked: a pending guess is counted on the row,
    /// conditionally, so N simultaneous guesses buy at most the guesses the budget has left (wrong passwords plus guesses
    /// in flight stay below <see cref="GuessBudget.MaxFailures"/>). When every guess left is in flight, this one waits
    /// for one to be decided (a correct password frees its slot; wrong ones lock the account). Returns the row as
    /// reserved, or null: the account is locked, or no slot came free in time, or the reservation kept losing to other
    /// writers. A guess is never checked uncounted.
    /// </summary>
    public async Task<User?> ReserveGuessAsync(User user, GuessBudget budget, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(time);
        var waitUntil = time.GetUtcNow() + budget.MaxWait;
        var current = user;
        for (var attempt = 0; attempt < MaxAttempts + budget.MaxPolls && current is not null; attempt++)
        {
            var now = time.GetUtcNow();
            if (current.LockedUntil > now)
            {
                return null;
            }

            // A lockout that is over starts a fresh budget; pending guesses of a request that died are void.
            var failures = current.LockedUntil is null ? current.FailedLogins : 0;
            var pending = current.PendingSince + budget.PendingTimeout > now ? current.PendingGuesses : 0;
            if (failures + pending >= budget.MaxFailures)
            {
                if (now >= waitUntil)
                {
                    return null;
                }

                await Task.Delay(budget.PollInterval, time, cancellationToken);
                current = await users.FindAsync(user.Username, cancellationToken);
                continue;
            }

            var reserved = current with { FailedLogins = failures, LockedUntil = null, PendingGuesses = pending + 1, PendingSince = now };
            if (await users.TryReplaceAsync(reserved, cancellationToken) is { } stored)
            {
                return stored;
            }

            current = await users.FindAsync(user.Username, cancellationToken);
        }

        return null;
    }

    /// <summary>A wrong password: the reserved guess becomes a failure, and the last one the budget allows locks the account.</summary>
    public async Task<User?> RecordFailureAsync(User reserved, GuessBudget budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        ArgumentNullException.ThrowIfNull(budget);
        return await ResolveAsync(
            reserved,
            current =>
            {
                var failures = current.FailedLogins + 1;
                return current with
                {
                    FailedLogins = failures,
                    LockedUntil = failures >= budget.MaxFailures ? now + budget.Lockout : current.LockedUntil,
                    PendingGuesses = Math.Max(0, current.PendingGuesses - 1),
                };
            },
            cancellationToken);
    }

    /// <summary>
    /// A correct password: the guess is handed back and earlier failures are forgotten; the hash is upgraded when the
    /// hasher asked for it. Returns the row as it now stands, or null if the account changed since the reservation
    /// (a new password or stamp, disabled, removed): then the sign-in must fail, it checked a password that is no longer
    /// the account's.
    /// </summary>
    public async Task<User?> RecordSuccessAsync(User reserved, string? upgradedHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        var result = await ResolveAsync(
            reserved,
            current => current with
            {
                FailedLogins = 0,
                LockedUntil = null,
                PendingGuesses = Math.Max(0, current.PendingGuesses - 1),
                PasswordHash = upgradedHash is not null && current.PasswordHash == reserved.PasswordHash ? upgradedHash : current.PasswordHash,
            },
            cancellationToken);
        return result is not null && result.UserId == reserved.UserId && result.SecurityStamp == reserved.SecurityStamp && result.Disabled == reserved.Disabled
            && (result.PasswordHash == reserved.PasswordHash || result.PasswordHash == upgradedHash)
            ? result
            : null;
    }

    /// <summary>Applies <paramref name="change"/> to the reserved row, or to the row as it now is if it changed since.</summary>
    private async Task<User?> ResolveAsync(User reserved, Func<User, User> change, CancellationToken cancellationToken)
    {
        var current = reserved;
        for (var attempt = 0; attempt < MaxAttempts && current is not null; attempt++)
        {
            if (await users.TryReplaceAsync(change(current), cancellationToken) is { } stored)
            {
                return stored;
            }

            current = await users.FindAsync(reserved.Username, cancellationToken);
        }

        // Pending guesses of a request that could not settle them expire (GuessBudget.PendingTimeout).
        return null;
    }
}
