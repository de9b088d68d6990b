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

    /// <summary>Removes a user; false if there was none.</summary>
    Task<bool> RemoveAsync(string username, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the user's row with <paramref name="user"/> if the row is unchanged since it was read
    /// (<see cref="User.Version"/>) and returns it as stored, with its new version; null if it changed or is gone. The
    /// one write primitive: callers that must not lose a change read again and retry (<see cref="Users.UserAccounts"/>).
    /// </summary>
    Task<User?> TryReplaceAsync(User user, CancellationToken cancellationToken);
}
