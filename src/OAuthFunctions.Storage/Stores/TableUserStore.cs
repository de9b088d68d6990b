using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Stores;

/// <summary>Users in the Users table, one partition each.</summary>
public sealed class TableUserStore(OAuthTables tables) : IUserStore
{
    /// <summary>How often a conflicting update is re-applied (each failed sign-in of a burst must count).</summary>
    private const int MaxUpdateAttempts = 8;

    private TableClient Table => tables.Users;

    public Task<User?> FindAsync(string username, CancellationToken cancellationToken)
    {
        if (!TableKeys.IsValidKey(username))
        {
            return Task.FromResult<User?>(null);
        }

        return StorageFaults.GuardAsync(
            async () =>
            {
                var row = await Table.GetEntityIfExistsAsync<UserEntity>(username, TableKeys.SingletonRow, cancellationToken: cancellationToken);
                return row.HasValue ? row.Value!.ToUser() : null;
            },
            cancellationToken);
    }

    public Task<bool> AddAsync(User user, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(
            async () =>
            {
                try
                {
                    await Table.AddEntityAsync(UserEntity.From(user), cancellationToken);
                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    return false;
                }
            },
            cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync<IReadOnlyList<User>>(
            async () =>
            {
                var users = new List<User>();
                await foreach (var row in Table.QueryAsync<UserEntity>(cancellationToken: cancellationToken))
                {
                    users.Add(row.ToUser());
                }

                return users;
            },
            cancellationToken);

    public async Task<bool> SetPasswordHashAsync(string username, string passwordHash, CancellationToken cancellationToken)
    {
        // Read, then replace the whole row (a merge cannot remove LockedUntil); retried once if the row changed.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var user = await FindAsync(username, cancellationToken);
            if (user is null)
            {
                return false;
            }

            var updated = user with { PasswordHash = passwordHash, FailedLogins = 0, LockedUntil = null };
            if (await ReplaceAsync(updated, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    public Task<bool> SetDisabledAsync(string username, bool disabled, CancellationToken cancellationToken) =>
        SingleRow.MergeIfExistsAsync(Table, new TableEntity(username, TableKeys.SingletonRow) { [nameof(UserEntity.Disabled)] = disabled }, cancellationToken);

    public Task<bool> RemoveAsync(string username, CancellationToken cancellationToken)
    {
        if (!TableKeys.IsValidKey(username))
        {
            return Task.FromResult(false);
        }

        return StorageFaults.GuardAsync(
            async () =>
            {
                // DeleteEntity succeeds on a missing row, so existence is read first to report "not found".
                var row = await Table.GetEntityIfExistsAsync<UserEntity>(username, TableKeys.SingletonRow, ["PartitionKey"], cancellationToken);
                if (!row.HasValue)
                {
                    return false;
                }

                await Table.DeleteEntityAsync(username, TableKeys.SingletonRow, ETag.All, cancellationToken);
                return true;
            },
            cancellationToken);
    }

    public Task<bool> TryReplaceAsync(User user, CancellationToken cancellationToken) => ReplaceAsync(user, cancellationToken);

    public async Task UpdateAsync(User user, Func<User, User> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = user;
        for (var attempt = 0; attempt < MaxUpdateAttempts && current is not null; attempt++)
        {
            if (await ReplaceAsync(change(current), cancellationToken))
            {
                return;
            }

            current = await FindAsync(user.Username, cancellationToken);
        }
    }

    /// <summary>Replaces the row if it is unchanged since <paramref name="user"/> was read; false otherwise.</summary>
    private Task<bool> ReplaceAsync(User user, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(
            async () =>
            {
                try
                {
                    var etag = user.Version is { } version ? new ETag(version) : ETag.All;
                    await Table.UpdateEntityAsync(UserEntity.From(user), etag, TableUpdateMode.Replace, cancellationToken);
                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);
}
