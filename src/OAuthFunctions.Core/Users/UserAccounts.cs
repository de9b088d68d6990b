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
    /// A new password and no lockout. By default also a new security stamp, which ends every sign-in and refuses every
    /// refresh token issued under the old one; <paramref name="endSignIns"/> false keeps them (an administrator setting
    /// a password the user asked for). Null if there is no such user.
    /// </summary>
    public Task<User?> SetPasswordAsync(string username, string passwordHash, CancellationToken cancellationToken, bool endSignIns = true) =>
        ChangeAsync(
            username,
            user => user with
            {
                PasswordHash = passwordHash,
                SecurityStamp = endSignIns ? User.NewSecurityStamp() : user.SecurityStamp,
                FailedLogins = 0,
                LockedUntil = null,
            },
            cancellationToken);

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
    /// Reserves one guess against the account before its password is checked: the row's failure count goes up first,
    /// conditionally, so N simultaneous guesses buy at most the guesses the budget has left. Returns the row as
    /// reserved, or null when the account is locked (refuse without checking) or the reservation kept losing to other
    /// writers (refuse: a guess is never checked uncounted).
    /// </summary>
    public async Task<User?> ReserveGuessAsync(User user, DateTimeOffset now, int maxFailures, TimeSpan lockout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var current = user;
        for (var attempt = 0; attempt < MaxAttempts && current is not null; attempt++)
        {
            if (current.LockedUntil > now)
            {
                return null;
            }

            // A lockout that is over starts a fresh budget.
            var failures = (current.LockedUntil is null ? current.FailedLogins : 0) + 1;
            var reserved = current with { FailedLogins = failures, LockedUntil = failures >= maxFailures ? now + lockout : null };
            if (await users.TryReplaceAsync(reserved, cancellationToken) is { } stored)
            {
                return stored;
            }

            current = await users.FindAsync(user.Username, cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// After a correct password: the reservation and earlier failures are cleared, and the hash is upgraded when the
    /// hasher asked for it, unless an administrator set another password meanwhile.
    /// </summary>
    public async Task ClearGuessesAsync(User reserved, string? upgradedHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        var current = reserved;
        for (var attempt = 0; attempt < MaxAttempts && current is not null; attempt++)
        {
            var hash = upgradedHash is not null && current.PasswordHash == reserved.PasswordHash ? upgradedHash : current.PasswordHash;
            if (await users.TryReplaceAsync(current with { FailedLogins = 0, LockedUntil = null, PasswordHash = hash }, cancellationToken) is not null)
            {
                return;
            }

            current = await users.FindAsync(reserved.Username, cancellationToken);
        }
    }
}
