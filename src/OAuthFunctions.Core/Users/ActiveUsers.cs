using OAuthFunctions.Core.Caching;
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
    private readonly ExpiringCache<(string UserId, bool Disabled)> _cache = new(options.ClientCacheLifetime, time);

    public async Task<bool> IsActiveAsync(string username, string userId, CancellationToken cancellationToken)
    {
        if (!_cache.TryGet(username, out var status))
        {
            var user = await users.FindAsync(username, cancellationToken);
            if (user is null)
            {
                return false;
            }

            status = Remember(user);
        }

        return status.UserId == userId && !status.Disabled;
    }

    /// <summary>Records what a sign-in just read.</summary>
    public void Seen(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Remember(user);
    }

    private (string UserId, bool Disabled) Remember(User user)
    {
        var status = (user.UserId, user.Disabled);
        _cache.Set(user.Username, status);
        return status;
    }
}
