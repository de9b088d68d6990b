using OAuthFunctions.Core.Caching;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Core.Users;

/// <summary>
/// Whether the person behind a sign-in or a refresh token may still be granted anything: the user exists, is the same
/// user (a removed name added again is someone else), is not disabled, and still has the security stamp the sign-in or
/// token was made under (a password change or a disable changes it). The answer is kept per instance for
/// <see cref="OAuthOptions.ClientCacheLifetime"/>, and a sign-in on this instance fills it, so a whole authorization
/// costs no extra storage read; the CLI revokes again after that lifetime to catch what a warm instance let through.
/// </summary>
public sealed class ActiveUsers(IUserStore users, OAuthOptions options, TimeProvider time)
{
    private readonly ExpiringCache<Status> _cache = new(options.ClientCacheLifetime, time);

    /// <param name="username">The user's name.</param>
    /// <param name="userId">The stable id the sign-in or token was issued to.</param>
    /// <param name="stamp">The security stamp it was issued under (null: issued before stamps, matches an empty stamp).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<bool> IsActiveAsync(string username, string userId, string? stamp, CancellationToken cancellationToken) =>
        await ActiveProfileAsync(username, userId, stamp, cancellationToken) is not null;

    /// <summary>The person's profile claims if the sign-in or token may still be granted anything (as <see cref="IsActiveAsync"/>); else null.</summary>
    public async Task<UserProfile?> ActiveProfileAsync(string username, string userId, string? stamp, CancellationToken cancellationToken)
    {
        var status = await StatusAsync(username, cancellationToken);
        return status is not null && status.UserId == userId && !status.Disabled && string.Equals(status.Stamp, stamp ?? string.Empty, StringComparison.Ordinal)
            ? status.Profile
            : null;
    }

    /// <summary>
    /// The profile of a user who still exists as the same person and is enabled, whatever their stamp (an access token
    /// kept through a password change with <c>--keep-tokens</c> still reads it); else null.
    /// </summary>
    public async Task<UserProfile?> EnabledProfileAsync(string username, string userId, CancellationToken cancellationToken)
    {
        var status = await StatusAsync(username, cancellationToken);
        return status is not null && status.UserId == userId && !status.Disabled ? status.Profile : null;
    }

    private async Task<Status?> StatusAsync(string username, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(username, out var status))
        {
            return status;
        }

        var user = await users.FindAsync(username, cancellationToken);
        return user is null ? null : Remember(user);
    }

    /// <summary>Records what a sign-in just read.</summary>
    public void Seen(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Remember(user);
    }

    private Status Remember(User user)
    {
        var status = new Status(user.UserId, user.Disabled, user.SecurityStamp, UserProfile.Of(user));
        _cache.Set(user.Username, status);
        return status;
    }

    private sealed record Status(string UserId, bool Disabled, string Stamp, UserProfile Profile);
}
