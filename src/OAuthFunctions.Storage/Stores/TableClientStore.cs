using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Stores;

/// <summary>
/// Clients in the Clients table, one partition each. A row that breaks a never-acceptable registration rule
/// (<see cref="ClientRegistration.RefuseStored"/>: written before the rules, or straight into the table) is not a
/// client: <see cref="FindAsync"/> answers null, so it authenticates nobody, and says why in the log once per instance.
/// Adding, updating and removing a client also keeps the <see cref="OriginIndex"/>: origins are indexed before the
/// client row names them and dropped after it stops, so an index row can be stale (a preflight passes, and the actual
/// request, checked against the client's own row, gets no CORS header) but a client's origin is never missing from it.
/// </summary>
public sealed partial class TableClientStore(OAuthTables tables, ILogger<TableClientStore> logger) : IClientStore
{
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    private TableClient Table => tables.Clients;

    private OriginIndex Origins => new(tables.Clients);

    public Task<Client?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!TableKeys.IsValidKey(clientId))
        {
            return Task.FromResult<Client?>(null);
        }

        return StorageFaults.GuardAsync(
            async () =>
            {
                var row = await Table.GetEntityIfExistsAsync<ClientEntity>(clientId, TableKeys.SingletonRow, cancellationToken: cancellationToken);
                return row.HasValue ? Acceptable(row.Value!.ToClient()) : null;
            },
            cancellationToken);
    }

    public Task<bool> IsOriginAllowedAsync(string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (origin.Length > AllowedOrigins.MaxLength)
        {
            return Task.FromResult(false);
        }

        return StorageFaults.GuardAsync(() => Origins.AnyAsync(origin, cancellationToken), cancellationToken);
    }

    public Task<bool> AddAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return StorageFaults.GuardAsync(
            async () =>
            {
                // Indexed first: a 409 below leaves an entry that allows a preflight and nothing else.
                foreach (var origin in client.AllowedOrigins)
                {
                    await Origins.AllowAsync(origin, client.ClientId, cancellationToken);
                }

                try
                {
                    await Table.AddEntityAsync(ClientEntity.From(client), cancellationToken);
                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    return false;
                }
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<Client>> ListAsync(CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync<IReadOnlyList<Client>>(
            async () =>
            {
                var clients = new List<Client>();
                // The registration rows only (the empty row key): the table also holds the origin index, and a client's
                // partition may hold an import record (docs/MIGRATING.md).
                var filter = TableClient.CreateQueryFilter($"RowKey eq {TableKeys.SingletonRow}");
                await foreach (var row in Table.QueryAsync<ClientEntity>(filter, cancellationToken: cancellationToken))
                {
                    clients.Add(row.ToClient());
                }

                return clients;
            },
            cancellationToken);

    /// <summary>
    /// Every current origin is (re)indexed, so running an update again repairs an index an interrupted command left
    /// incomplete; origins the client no longer allows are dropped once the row says so.
    /// </summary>
    public Task<bool> UpdateAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!TableKeys.IsValidKey(client.ClientId))
        {
            return Task.FromResult(false);
        }

        return StorageFaults.GuardAsync(
            async () =>
            {
                if (await ReadAsync(client.ClientId, cancellationToken) is not { } before)
                {
                    return false;
                }

                foreach (var origin in client.AllowedOrigins)
                {
                    await Origins.AllowAsync(origin, client.ClientId, cancellationToken);
                }

                if (!await SingleRow.MergeIfExistsAsync(Table, ToTableEntity(ClientEntity.From(client)), cancellationToken))
                {
                    return false;
                }

                foreach (var origin in before.AllowedOrigins.Except(client.AllowedOrigins, StringComparer.Ordinal))
                {
                    await Origins.DisallowAsync(origin, client.ClientId, cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>Every column of a client row, so that a merge writes the whole registration.</summary>
    private static TableEntity ToTableEntity(ClientEntity row) => new(row.PartitionKey, row.RowKey)
    {
        [nameof(ClientEntity.SecretHash)] = row.SecretHash,
        [nameof(ClientEntity.Name)] = row.Name,
        [nameof(ClientEntity.Url)] = row.Url,
        [nameof(ClientEntity.RedirectUris)] = row.RedirectUris,
        [nameof(ClientEntity.Type)] = row.Type,
        [nameof(ClientEntity.GrantTypes)] = row.GrantTypes,
        [nameof(ClientEntity.Scope)] = row.Scope,
        [nameof(ClientEntity.Trusted)] = row.Trusted,
        [nameof(ClientEntity.PkceOptional)] = row.PkceOptional,
        [nameof(ClientEntity.AllowedOrigins)] = row.AllowedOrigins,
        [nameof(ClientEntity.Owner)] = row.Owner,
        [nameof(ClientEntity.CreatedAt)] = row.CreatedAt,
    };

    public Task<bool> SetSecretHashAsync(string clientId, string secretHash, CancellationToken cancellationToken) =>
        SingleRow.MergeIfExistsAsync(Table, new TableEntity(clientId, TableKeys.SingletonRow) { [nameof(ClientEntity.SecretHash)] = secretHash }, cancellationToken);

    public Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!TableKeys.IsValidKey(clientId))
        {
            return Task.FromResult(false);
        }

        return StorageFaults.GuardAsync(
            async () =>
            {
                // DeleteEntity succeeds on a missing row, so the row is read first to report "not found" (and to know
                // which origins to drop from the index once it is gone).
                if (await ReadAsync(clientId, cancellationToken) is not { } removed)
                {
                    return false;
                }

                await Table.DeleteEntityAsync(clientId, TableKeys.SingletonRow, ETag.All, cancellationToken);
                foreach (var origin in removed.AllowedOrigins)
                {
                    await Origins.DisallowAsync(origin, clientId, cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }

    private Client? Acceptable(Client client)
    {
        if (ClientRegistration.RefuseStored(client) is not { } refusal)
        {
            return client;
        }

        if (_reported.TryAdd(client.ClientId, true))
        {
            LogRefusedRow(logger, client.ClientId, refusal.Rule);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} is stored with a registration that breaks the rule {Rule}; it authenticates nobody until it is removed and registered again")]
    private static partial void LogRefusedRow(ILogger logger, string clientId, RegistrationRule rule);

    /// <summary>The stored registration as it is, rules or not (administration must see what it changes).</summary>
    private async Task<Client?> ReadAsync(string clientId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ClientEntity>(clientId, TableKeys.SingletonRow, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToClient() : null;
    }
}
