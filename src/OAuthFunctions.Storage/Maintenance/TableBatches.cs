using Azure;
using Azure.Data.Tables;

namespace OAuthFunctions.Storage.Maintenance;

/// <summary>Deleting many rows cheaply and idempotently.</summary>
internal static class TableBatches
{
    public const int MaxBatch = 100;

    /// <summary>
    /// Deletes up to 100 rows of one partition in one entity-group transaction. If another process deleted some of
    /// them first (the transaction fails with 404), falls back to single deletes, which treat a missing row as done.
    /// </summary>
    public static async Task DeleteAsync(TableClient table, IReadOnlyCollection<ITableEntity> rows, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(
                rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)),
                cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            foreach (var row in rows)
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            }
        }
    }
}
