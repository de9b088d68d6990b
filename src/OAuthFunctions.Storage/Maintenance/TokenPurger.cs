using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Maintenance;

/// <summary>
/// Deletes what has expired: codes (used or not), access and refresh tokens past their expiry, and rotated
/// never-expiring refresh tokens whose retention is over (through their tombstones). Revoked tokens are already
/// gone: revocation deletes them.
/// <para>
/// Cost follows what expired, never what lives: rows are keyed by expiry hour ("{shard}-{hour}"), so one range query
/// per shard, <c>PartitionKey</c> from "{shard}-0000000" to "{shard}-{this hour}" with <c>ExpiresAt le now</c>,
/// returns exactly the expired rows (every row of a past hour, and the expired part of this one) and nothing live.
/// They are deleted in entity-group transactions of up to 100 rows of one partition.
/// </para>
/// <para>
/// Bounded (<c>PurgeMaxItems</c> per run, the rest next run), idempotent and safe to run twice at once or to crash
/// mid-way: it deletes only rows that are expired by their own keys, and a batch that meets a row another run
/// already deleted falls back to single deletes, which ignore missing rows.
/// </para>
/// </summary>
public sealed partial class TokenPurger(OAuthTables tables, OAuthOptions options, TimeProvider time, ILogger<TokenPurger> logger)
{
    private static readonly string[] Columns = ["PartitionKey", "RowKey", nameof(TokenEntity.Target)];

    private TableClient Table => tables.Tokens;

    public Task<PurgeReport> PurgeAsync(bool dryRun, int? maxItems, CancellationToken cancellationToken) =>
        StorageFaults.GuardAsync(() => RunAsync(dryRun, maxItems, cancellationToken), cancellationToken);

    private async Task<PurgeReport> RunAsync(bool dryRun, int? maxItems, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var currentHour = TokenHandle.BucketOf(now);
        var cap = maxItems ?? options.PurgeMaxItems;
        var tally = new Tally();
        var complete = true;

        for (var shard = 0; shard < TokenHandle.ShardCount && complete; shard++)
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey ge {TableKeys.TokenPartition(shard, 0)} and PartitionKey le {TableKeys.TokenPartition(shard, currentHour)} and ExpiresAt le {now}");
            await foreach (var page in Table.QueryAsync<TokenEntity>(filter, maxPerPage: 1000, select: Columns, cancellationToken: cancellationToken).AsPages())
            {
                foreach (var partition in page.Values.GroupBy(row => row.PartitionKey))
                {
                    foreach (var chunk in partition.Chunk(TableBatches.MaxBatch))
                    {
                        if (tally.Total >= cap)
                        {
                            complete = false;
                            break;
                        }

                        await PurgeChunkAsync(chunk, dryRun, tally, cancellationToken);
                    }
                }

                if (!complete)
                {
                    break;
                }
            }
        }

        var report = new PurgeReport
        {
            Codes = tally.Codes,
            AccessTokens = tally.AccessTokens,
            RefreshTokens = tally.RefreshTokens,
            RotatedRefreshTokens = tally.RotatedRefreshTokens,
            Tombstones = tally.Tombstones,
            Complete = complete,
            DryRun = dryRun,
            Duration = Stopwatch.GetElapsedTime(started),
        };
        LogPurged(logger, dryRun, report.Codes, report.AccessTokens, report.RefreshTokens, report.RotatedRefreshTokens, report.Tombstones, report.Complete, (long)report.Duration.TotalMilliseconds);
        return report;
    }

    private async Task PurgeChunkAsync(TokenEntity[] rows, bool dryRun, Tally tally, CancellationToken cancellationToken)
    {
        // A tombstone's target goes first: if we crash in between, the tombstone is still there for the next run.
        foreach (var tombstone in rows.Where(row => row.RowKey[0] == TableKeys.TombstoneKind))
        {
            if (await PurgeRotatedAsync(tombstone, dryRun, cancellationToken))
            {
                tally.RotatedRefreshTokens++;
            }
        }

        if (!dryRun)
        {
            await TableBatches.DeleteAsync(Table, rows, cancellationToken);
        }

        foreach (var row in rows)
        {
            tally.Count(row.RowKey[0]);
        }
    }

    /// <summary>Deletes a tombstone's target only if it really was rotated (a failed rotation leaves it live).</summary>
    private async Task<bool> PurgeRotatedAsync(TokenEntity tombstone, bool dryRun, CancellationToken cancellationToken)
    {
        if (TableKeys.Decode(tombstone.Target) is not { } target)
        {
            return false;
        }

        var partition = TableKeys.TokenPartition(target);
        var row = TableKeys.TokenRow(target);
        var found = await Table.GetEntityIfExistsAsync<TokenEntity>(partition, row, [nameof(TokenEntity.Rotated)], cancellationToken);
        if (!found.HasValue || found.Value!.Rotated != true)
        {
            return false;
        }

        if (dryRun)
        {
            return true;
        }

        try
        {
            await Table.DeleteEntityAsync(partition, row, found.Value.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purge (dry run: {DryRun}) deleted {Codes} codes, {AccessTokens} access tokens, {RefreshTokens} refresh tokens, {RotatedRefreshTokens} rotated refresh tokens, {Tombstones} tombstones; complete: {Complete}; {ElapsedMs} ms")]
    private static partial void LogPurged(ILogger logger, bool dryRun, int codes, int accessTokens, int refreshTokens, int rotatedRefreshTokens, int tombstones, bool complete, long elapsedMs);

    private sealed class Tally
    {
        public int Codes { get; private set; }

        public int AccessTokens { get; private set; }

        public int RefreshTokens { get; private set; }

        public int RotatedRefreshTokens { get; set; }

        public int Tombstones { get; private set; }

        public int Total => Codes + AccessTokens + RefreshTokens + RotatedRefreshTokens + Tombstones;

        public void Count(char kind)
        {
            switch ((TokenKind)kind)
            {
                case TokenKind.AuthorizationCode:
                    Codes++;
                    break;
                case TokenKind.AccessToken:
                    AccessTokens++;
                    break;
                case TokenKind.RefreshToken:
                    RefreshTokens++;
                    break;
                default:
                    Tombstones++;
                    break;
            }
        }
    }
}
