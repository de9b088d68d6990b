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

    /// <summary>Deletes every code and token of a client; returns how many rows went.</summary>
    public Task<int> RevokeClientAsync(string clientId, CancellationToken cancellationToken) =>
        RevokeWhereAsync(TableClient.CreateQueryFilter($"ClientId eq {clientId}"), cancellationToken);

    /// <summary>Deletes every code and token issued on behalf of a user (by the user's stable id).</summary>
    public Task<int> RevokeUserAsync(string userId, CancellationToken cancellationToken) =>
        RevokeWhereAsync(TableClient.CreateQueryFilter($"UserId eq {userId}"), cancellationToken);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk revocation deleted {Count} codes and tokens")]
    private static partial void LogRevoked(ILogger logger, int count);
}
