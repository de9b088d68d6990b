using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench.Tokens;

/// <summary>
/// What Azurite itself does on this machine, without the server in between: single-row inserts and point reads of
/// token rows from a table client at the benchmark's concurrency. The ceiling the endpoints run under.
/// </summary>
internal static class StorageBaseline
{
    public static async Task<(LoadResult Inserts, LoadResult Reads)> MeasureAsync(OAuthTestServer server, int count, int concurrency)
    {
        var table = server.Tables.Tokens;
        var now = DateTimeOffset.UtcNow;
        var rows = Enumerable.Range(0, count)
            .Select(_ => TokenEntity.ForAccessToken(new NewTokenPair(
                new NewToken(TokenHandle.Issue(TokenKind.AccessToken, now + TimeSpan.FromDays(365)), new TokenGrant("bench-client", null, null, 2, now, now + TimeSpan.FromDays(365))),
                null)))
            .ToList();
        var inserts = await LoadRunner.RunAsync([.. rows.Select(row => (Func<Task<bool>>)(async () => (await table.AddEntityAsync(row)).Status == 204))], concurrency);
        var reads = await LoadRunner.RunAsync([.. rows.Select(row => (Func<Task<bool>>)(async () => (await table.GetEntityIfExistsAsync<TokenEntity>(row.PartitionKey, row.RowKey)).HasValue))], concurrency);
        return (inserts, reads);
    }
}
