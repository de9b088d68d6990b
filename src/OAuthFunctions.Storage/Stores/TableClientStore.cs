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
/// </summary>
public sealed partial class TableClientStore(OAuthTables tables, ILogger<TableClientStore> logger) : IClientStore
{
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    private TableClient Table => tables.Clients;

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

    public Task<bool> AddAsync(Client client, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(
            async () =>
            {
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

    public Task<IReadOnlyList<Client>> ListAsync(CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync<IReadOnlyList<Client>>(
            async () =>
            {
                var clients = new List<Client>();
                await foreach (var row in Table.QueryAsync<ClientEntity>(cancellationToken: cancellationToken))
                {
                    clients.Add(row.ToClient());
                }

                return clients;
            },
            cancellationToken);

    public Task<bool> UpdateAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return SingleRow.MergeIfExistsAsync(Table, ToTableEntity(ClientEntity.From(client)), cancellationToken);
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
                // DeleteEntity succeeds on a missing row, so existence is read first to report "not found".
                if (!await ExistsAsync(clientId, cancellationToken))
                {
                    return false;
                }

                await Table.DeleteEntityAsync(clientId, TableKeys.SingletonRow, ETag.All, cancellationToken);
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

    private async Task<bool> ExistsAsync(string clientId, CancellationToken cancellationToken) =>
        (await Table.GetEntityIfExistsAsync<ClientEntity>(clientId, TableKeys.SingletonRow, ["PartitionKey"], cancellationToken)).HasValue;
}
