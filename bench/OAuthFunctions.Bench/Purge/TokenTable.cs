using Azure.Data.Tables;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Bench.Purge;

/// <summary>Bulk set-up and checks on the Tokens table, outside the measured purge.</summary>
internal static class TokenTable
{
    private static readonly string[] KeysOnly = ["PartitionKey", "RowKey"];

    /// <summary>Inserts rows as entity-group transactions of up to 100 rows of one partition, eight at a time.</summary>
    public static async Task InsertAsync(TableClient table, IEnumerable<TokenEntity> rows, CancellationToken cancellationToken)
    {
        var batches = rows.GroupBy(row => row.PartitionKey).SelectMany(partition => partition.Chunk(100));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, token) =>
            await table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), token));
    }

    /// <summary>Counts the rows matching a filter (all rows when null), reading keys only.</summary>
    public static async Task<ScanResult> ScanAsync(TableClient table, string? filter, CancellationToken cancellationToken)
    {
        var pages = 0;
        var rows = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeysOnly, cancellationToken: cancellationToken).AsPages())
        {
            pages++;
            rows += page.Values.Count;
        }

        return new ScanResult(pages, rows);
    }

    /// <summary>How many of the given rows are still in the table (one point read each).</summary>
    public static async Task<int> CountPresentAsync(TableClient table, IEnumerable<TokenEntity> rows, CancellationToken cancellationToken)
    {
        var present = 0;
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (row, token) =>
        {
            if ((await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, KeysOnly, token)).HasValue)
            {
                Interlocked.Increment(ref present);
            }
        });
        return present;
    }

    public readonly record struct ScanResult(int Pages, int Rows);
}
