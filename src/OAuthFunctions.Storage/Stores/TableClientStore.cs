using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Stores;

/// <summary>Clients in the Clients table, one partition each.</summary>
public sealed class TableClientStore(OAuthTables tables) : IClientStore
{
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
                return row.HasValue ? row.Value!.ToClient() : null;
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

    private async Task<bool> ExistsAsync(string clientId, CancellationToken cancellationToken) =>
        (await Table.GetEntityIfExistsAsync<ClientEntity>(clientId, TableKeys.SingletonRow, ["PartitionKey"], cancellationToken)).HasValue;
}
