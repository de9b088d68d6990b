using Azure;
using Azure.Data.Tables;

namespace OAuthFunctions.Storage.Stores;

/// <summary>Changes to the one-row partitions of the Clients and Users tables.</summary>
internal static class SingleRow
{
    /// <summary>Merges <paramref name="changes"/> into an existing row; false if the key is invalid or the row is gone.</summary>
    public static Task<bool> MergeIfExistsAsync(TableClient table, TableEntity changes, CancellationToken cancellationToken)
    {
        if (!TableKeys.IsValidKey(changes.PartitionKey))
        {
            return Task.FromResult(false);
        }

        return StorageFaults.GuardAsync(
            async () =>
            {
                try
                {
                    await table.UpdateEntityAsync(changes, ETag.All, TableUpdateMode.Merge, cancellationToken);
                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    return false;
                }
            },
            cancellationToken);
    }
}
