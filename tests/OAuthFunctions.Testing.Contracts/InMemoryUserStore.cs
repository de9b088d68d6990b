using System.Globalization;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;

namespace OAuthFunctions.Testing.Contracts;

/// <summary>
/// Users in a dictionary, with the Table store's contract: a version per row that changes on every write, and
/// <see cref="TryReplaceAsync"/> that fails when the version read is no longer the row's.
/// </summary>
public sealed class InMemoryUserStore : IUserStore
{
    private readonly Dictionary<string, User> _users = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    public Task<User?> FindAsync(string username, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_users.GetValueOrDefault(username));
        }
    }

    public Task<bool> AddAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_gate)
        {
            return Task.FromResult(_users.TryAdd(user.Username, Versioned(user)));
        }
    }

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<User>>([.. _users.Values]);
        }
    }

    public Task<bool> RemoveAsync(string username, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_users.Remove(username));
        }
    }

    public Task<User?> TryReplaceAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_gate)
        {
            if (!_users.TryGetValue(user.Username, out var current) || (user.Version is not null && user.Version != current.Version))
            {
                return Task.FromResult<User?>(null);
            }

            var stored = Versioned(user);
            _users[user.Username] = stored;
            return Task.FromResult<User?>(stored);
        }
    }

    private User Versioned(User user) => user with { Version = (++_version).ToString(CultureInfo.InvariantCulture) };
}
