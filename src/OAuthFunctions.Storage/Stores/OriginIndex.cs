using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Stores;

/// <summary>
/// The origin index of the Clients table: one row per allowed web origin, naming the clients that allow it
/// (docs/ARCHITECTURE.md, "Browser apps: the origin index"). A CORS preflight names no client, so without it the only
/// answer to "does any client allow this origin?" would be a scan of every client. Kept by <see cref="TableClientStore"/>
/// on every add, update and remove; each change reads the row and writes it back conditional on its ETag, reading again
/// when another writer got there first (two operators adding clients for one origin at the same moment).
/// </summary>
internal sealed class OriginIndex(TableClient table)
{
    private const int MaxAttempts = 16;

    /// <summary>Whether some client allows the origin: one point read.</summary>
    public async Task<bool> AnyAsync(string origin, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<OriginIndexEntity>(TableKeys.OriginPartition(origin), TableKeys.OriginIndexRow, cancellationToken: cancellationToken);
        return row.HasValue && ClientIdsOf(row.Value!).Count > 0;
    }

    /// <summary>Adds the client to the origin's row (creating it); nothing if it is there already.</summary>
    public Task AllowAsync(string origin, string clientId, CancellationToken cancellationToken) =>
        ChangeAsync(origin, clientId, allow: true, cancellationToken);

    /// <summary>Takes the client off the origin's row (deleting it when no client is left); nothing if it is not there.</summary>
    public Task DisallowAsync(string origin, string clientId, CancellationToken cancellationToken) =>
        ChangeAsync(origin, clientId, allow: false, cancellationToken);

    private async Task ChangeAsync(string origin, string clientId, bool allow, CancellationToken cancellationToken)
    {
        var partition = TableKeys.OriginPartition(origin);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var found = await table.GetEntityIfExistsAsync<OriginIndexEntity>(partition, TableKeys.OriginIndexRow, cancellationToken: cancellationToken);
            var row = found.HasValue ? found.Value! : null;
            var ids = row is null ? [] : ClientIdsOf(row).ToList();
            if (ids.Contains(clientId, StringComparer.Ordinal) == allow)
            {
                return;
            }

            if (allow)
            {
                ids.Add(clientId);
            }
            else
            {
                ids.RemoveAll(id => string.Equals(id, clientId, StringComparison.Ordinal));
            }

            try
            {
                if (row is null)
                {
                    await table.AddEntityAsync(new OriginIndexEntity { PartitionKey = partition, Origin = origin, ClientIds = Serialize(ids) }, cancellationToken);
                }
                else if (ids.Count == 0)
                {
                    await table.DeleteEntityAsync(partition, TableKeys.OriginIndexRow, row.ETag, cancellationToken);
                }
                else
                {
                    row.ClientIds = Serialize(ids);
                    await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // Another writer created, changed or deleted the row between our read and our write: read it again.
            }
        }

        throw new StorageUnavailableException("The origin index kept changing under the update; try again.");
    }

    private static IReadOnlyList<string> ClientIdsOf(OriginIndexEntity row) =>
        JsonSerializer.Deserialize(row.ClientIds, StorageJsonContext.Default.IReadOnlyListString) ?? [];

    private static string Serialize(IReadOnlyList<string> ids) =>
        JsonSerializer.Serialize(ids, StorageJsonContext.Default.IReadOnlyListString);
}
