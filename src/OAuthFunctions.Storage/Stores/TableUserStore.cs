using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Stores;

/// <summary>Users in the Users table, one partition each. Changes go through one conditional replace (<see cref="TryReplaceAsync"/>).</summary>
public sealed class TableUserStore(OAuthTables tables) : IUserStore
{
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
                // The registration rows only: a partition may also hold an import record (docs/MIGRATING.md).
                await foreach (var row in Table.QueryAsync<UserEntity>(TableClient.CreateQueryFilter($"RowKey eq {TableKeys.SingletonRow}"), cancellationToken: cancellationToken))
                {
                    users.Add(row.ToUser());
                }

                return users;
            },
            cancellationToken);

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

    /// <summary>Replaces the row if it is unchanged since <paramref name="user"/> was read; null otherwise.</summary>
    public Task<User?> TryReplaceAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return StorageFaults.GuardAsync<User?>(
            async () =>
            {
                try
                {
                    var etag = user.Version is { } version ? new ETag(version) : ETag.All;
                    var response = await Table.UpdateEntityAsync(UserEntity.From(user), etag, TableUpdateMode.Replace, cancellationToken);
                    return user with { Version = response.Headers.ETag?.ToString() };
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    return null;
                }
            },
            cancellationToken);
    }
}
