using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Maintenance;

/// <summary>
/// Administrative bulk revocation (<c>oauthctl tokens revoke --client|--user</c>, client and user removal). It scans
/// the Tokens table, which is fine for an operator's command and is never done on a request path.
/// </summary>
public sealed partial class TokenAdministration(OAuthTables tables, ILogger<TokenAdministration> logger)
{
    private static readonly string[] Keys = ["PartitionKey", "RowKey"];
    private static readonly string[] LegacyColumns = ["PartitionKey", "RowKey", nameof(TokenEntity.Rotated), nameof(TokenEntity.Successor)];

    /// <summary>Deletes every code and token of a client; returns how many rows went.</summary>
    public Task<int> RevokeClientAsync(string clientId, CancellationToken cancellationToken) =>
        RevokeWhereAsync(TableClient.CreateQueryFilter($"ClientId eq {clientId}"), cancellationToken);

    /// <summary>Deletes every code and token issued on behalf of a user (by the user's stable id).</summary>
    public Task<int> RevokeUserAsync(string userId, CancellationToken cancellationToken) =>
        RevokeWhereAsync(TableClient.CreateQueryFilter($"UserId eq {userId}"), cancellationToken);

    /// <summary>
    /// Points every used refresh token from before families straight at the end of its chain (the live token, or the
    /// family it became), so that replaying any of them costs one hop instead of one read per rotation since. Run once
    /// after upgrading a server that issued such tokens; idempotent. Chains cannot grow any more, so nothing undoes it.
    /// Returns how many rows were repointed.
    /// </summary>
    public Task<int> CompactLegacyChainsAsync(CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(
            async () =>
            {
                var rows = new Dictionary<string, TokenEntity>(StringComparer.Ordinal);
                var filter = TableClient.CreateQueryFilter($"RowKey ge {"r"} and RowKey lt {"s"}");
                await foreach (var row in tables.Tokens.QueryAsync<TokenEntity>(filter, maxPerPage: 1000, select: LegacyColumns, cancellationToken: cancellationToken))
                {
                    if (TableKeys.RefOf(row) is { } link)
                    {
                        rows[link.ToString()] = row;
                    }
                }

                var ends = new Dictionary<string, string>(StringComparer.Ordinal);
                var repointed = 0;
                foreach (var (link, row) in rows)
                {
                    if (row.Rotated != true || row.Successor is null)
                    {
                        continue;
                    }

                    var end = EndOf(link, rows, ends);
                    if (end != row.Successor)
                    {
                        await tables.Tokens.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { [nameof(TokenEntity.Successor)] = end }, ETag.All, TableUpdateMode.Merge, cancellationToken);
                        repointed++;
                    }
                }

                LogCompacted(logger, repointed);
                return repointed;
            },
            cancellationToken);

    /// <summary>The last link of a chain: a live token, a family, or the last row that still exists.</summary>
    private static string EndOf(string start, Dictionary<string, TokenEntity> rows, Dictionary<string, string> ends)
    {
        var path = new List<string>();
        var node = start;
        while (!ends.ContainsKey(node) && rows.TryGetValue(node, out var row) && row.Rotated == true && row.Successor is { } next && path.Count <= rows.Count)
        {
            path.Add(node);
            node = next;
        }

        var end = ends.GetValueOrDefault(node, node);
        foreach (var visited in path)
        {
            ends[visited] = end;
        }

        return end;
    }

    private Task<int> RevokeWhereAsync(string filter, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(() => DeleteWhereAsync(filter, cancellationToken), cancellationToken);

    private async Task<int> DeleteWhereAsync(string filter, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var page in tables.Tokens.QueryAsync<TokenEntity>(filter, maxPerPage: 1000, select: Keys, cancellationToken: cancellationToken).AsPages())
        {
            foreach (var chunk in page.Values.GroupBy(row => row.PartitionKey).SelectMany(group => group.Chunk(TableBatches.MaxBatch)))
            {
                await TableBatches.DeleteAsync(tables.Tokens, chunk, cancellationToken);
                deleted += chunk.Length;
            }
        }

        LogRevoked(logger, deleted);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction pointed {Count} used pre-family refresh tokens at the end of their chain")]
    private static partial void LogCompacted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk revocation deleted {Count} codes and tokens")]
    private static partial void LogRevoked(ILogger logger, int count);
}
