using System.Collections.Concurrent;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// Whether the person behind a login session may still be granted anything: the user exists, is the same user
/// (a removed name added again is someone else), and is not disabled. Checked when a code or implicit token is
/// granted. The answer is kept per instance for <see cref="OAuthOptions.ClientCacheLifetime"/>, and a sign-in on
/// this instance fills it, so a whole authorization still costs no extra storage read.
/// </summary>
public sealed class ActiveUsers(IUserStore users, OAuthOptions options, TimeProvider time)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (string UserId, bool Disabled, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public async Task<bool> IsActiveAsync(string username, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_entries.TryGetValue(username, out var entry) || entry.Until <= now)
        {
            var user = await users.FindAsync(username, cancellationToken);
            if (user is null)
            {
                _entries.TryRemove(username, out _);
                return false;
            }

            entry = Remember(user);
        }

        return entry.UserId == userId && !entry.Disabled;
    }

    /// <summary>Records what a sign-in just read.</summary>
    public void Seen(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Remember(user);
    }

    private (string UserId, bool Disabled, DateTimeOffset Until) Remember(User user)
    {
        var entry = (user.UserId, user.Disabled, time.GetUtcNow() + options.ClientCacheLifetime);
        if (options.ClientCacheLifetime > TimeSpan.Zero)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[user.Username] = entry;
        }

        return entry;
    }
}
