using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Core.Stores;

/// <summary>Resource owners.</summary>
public interface IUserStore
{
    /// <summary>One point read.</summary>
    Task<User?> FindAsync(string username, CancellationToken cancellationToken);

    /// <summary>Adds a user; false if the username is taken.</summary>
    Task<bool> AddAsync(User user, CancellationToken cancellationToken);

    /// <summary>Every user (an administrative scan, never on a request path).</summary>
    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the password hash and clears any lockout; false if there is no such user.</summary>
    Task<bool> SetPasswordHashAsync(string username, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Enables or disables sign-in; false if there is no such user.</summary>
    Task<bool> SetDisabledAsync(string username, bool disabled, CancellationToken cancellationToken);

    /// <summary>Removes a user; false if there was none.</summary>
    Task<bool> RemoveAsync(string username, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the user's row with <paramref name="user"/> if the row is unchanged since it was read
    /// (<see cref="User.Version"/>); false if it changed or is gone.
    /// </summary>
    Task<bool> TryReplaceAsync(User user, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the user's current row, starting from <paramref name="user"/> as read; when
    /// another writer got there first, reads the row again and re-applies, so concurrent changes are not lost.
    /// </summary>
    Task UpdateAsync(User user, Func<User, User> change, CancellationToken cancellationToken);
}
