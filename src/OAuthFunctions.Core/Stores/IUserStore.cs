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
    /// Records the outcome of a sign-in on the user's row (failure count and lockout), conditional on the row being
    /// unchanged since <paramref name="user"/> was read; a concurrent change wins and this update is dropped.
    /// </summary>
    Task RecordSignInAsync(User user, int failedLogins, DateTimeOffset? lockedUntil, CancellationToken cancellationToken);
}
