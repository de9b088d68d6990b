using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;

namespace OAuthFunctions.Storage.Maintenance;

/// <summary>
/// Deletes what has expired: codes (used or not), access tokens and pre-family refresh tokens past their expiry,
/// refresh token families whose live token expired, and used pre-family refresh tokens that never expire once their
/// retention is over. Families and those used tokens are reached through tombstones in the expiry-hour partitions.
/// Revoked tokens and families are already gone: revocation deletes them.
/// <para>
/// Cost follows what expired, never what lives: rows are keyed by expiry hour ("{shard}-{hour}"), so one range query
/// per shard, <c>PartitionKey</c> from "{shard}-0000000" to "{shard}-{this hour}" with <c>ExpiresAt le now</c>,
/// returns exactly the expired rows (every row of a past hour, and the expired part of this one) and nothing live.
/// They are deleted in entity-group transactions of up to 100 rows of one partition. Every possible shard is scanned
/// (<see cref="TokenHandle.MaxShards"/>), not only those of the current <c>OAuth__TokenShards</c>: rows written under an
/// earlier, larger setting are found too, and an empty range costs one request (docs/PERFORMANCE.md, "Scale").
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

        for (var shard = 0; shard < TokenHandle.MaxShards && complete; shard++)
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
            Families = tally.Families,
            FamiliesRescheduled = tally.FamiliesRescheduled,
            Tombstones = tally.Tombstones,
            Complete = complete,
            DryRun = dryRun,
            Duration = Stopwatch.GetElapsedTime(started),
        };
        LogPurged(logger, dryRun, report.Codes, report.AccessTokens, report.RefreshTokens, report.RotatedRefreshTokens, report.Families, report.Tombstones, report.Complete, (long)report.Duration.TotalMilliseconds);
        return report;
    }

    private async Task PurgeChunkAsync(TokenEntity[] rows, bool dryRun, Tally tally, CancellationToken cancellationToken)
    {
        // A tombstone's target goes first: if we crash in between, the tombstone is still there for the next run.
        var kept = new HashSet<TokenEntity>();
        foreach (var tombstone in rows.Where(row => row.RowKey[0] == TableKeys.TombstoneKind))
        {
            if (tombstone.Target is [TableKeys.ImportIndexTargetPrefix, .. var hash] && hash.Length > 2)
            {
                // An imported access token's index row: its token has expired, whatever became of it.
                if (!dryRun)
                {
                    await Table.DeleteEntityAsync(TableKeys.ImportIndexPartition(hash), hash, ETag.All, cancellationToken);
                }
            }
            else if (FamilyKey.TryParse(tombstone.Target, out var family))
            {
                if (await PurgeFamilyAsync(tombstone, family, dryRun, tally, cancellationToken))
                {
                    kept.Add(tombstone);
                }
            }
            else if (await PurgeRotatedAsync(tombstone, dryRun, cancellationToken))
            {
                tally.RotatedRefreshTokens++;
            }
        }

        var deleted = rows.Where(row => !kept.Contains(row)).ToList();
        if (!dryRun && deleted.Count > 0)
        {
            await TableBatches.DeleteAsync(Table, deleted, cancellationToken);
        }

        foreach (var row in deleted)
        {
            tally.Count(row.RowKey[0]);
        }
    }

    /// <summary>
    /// A family's tombstone: the family goes if its live refresh token has expired. A family that rotated since the
    /// tombstone was written lives on, so its tombstone moves to the hour its live token now expires in (one tombstone
    /// per family at a time, written only when purge reaches the last one: rotations write none). Returns true when the
    /// moved tombstone took this one's place (the same hour), so that it must not be deleted with the expired rows.
    /// </summary>
    private async Task<bool> PurgeFamilyAsync(TokenEntity tombstone, FamilyKey family, bool dryRun, Tally tally, CancellationToken cancellationToken)
    {
        var partition = TableKeys.FamilyPartition(family);
        var found = await Table.GetEntityIfExistsAsync<TokenEntity>(partition, TableKeys.SingletonRow, [nameof(TokenEntity.ExpiresAt)], cancellationToken);
        if (!found.HasValue || found.Value!.ExpiresAt is not { } expiresAt)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (expiresAt > now)
        {
            var moved = TokenEntity.Tombstone(TableKeys.TokenPartition(ShardOf(tombstone), TokenHandle.BucketOf(expiresAt)), family.ToString(), now, expiresAt);
            if (!dryRun)
            {
                await Table.UpsertEntityAsync(moved, TableUpdateMode.Replace, cancellationToken);
            }

            tally.FamiliesRescheduled++;
            return moved.PartitionKey == tombstone.PartitionKey;
        }

        if (!dryRun)
        {
            try
            {
                // Conditional: a rotation that just extended the family is not undone. An expired family cannot be
                // rotated, so in practice this only guards the last moment.
                await Table.DeleteEntityAsync(partition, TableKeys.SingletonRow, found.Value.ETag, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                return false;
            }
        }

        tally.Families++;
        return false;
    }

    private static int ShardOf(TokenEntity row) =>
        int.Parse(row.PartitionKey.AsSpan(0, row.PartitionKey.IndexOf('-', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Deletes a tombstone's target only if it really was used (a failed upgrade leaves it live).</summary>
    private async Task<bool> PurgeRotatedAsync(TokenEntity tombstone, bool dryRun, CancellationToken cancellationToken)
    {
        if (!TokenRef.TryParse(tombstone.Target, out var target))
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Purge (dry run: {DryRun}) deleted {Codes} codes, {AccessTokens} access tokens, {RefreshTokens} refresh tokens, {RotatedRefreshTokens} rotated refresh tokens, {Families} refresh token families, {Tombstones} tombstones; complete: {Complete}; {ElapsedMs} ms")]
    private static partial void LogPurged(ILogger logger, bool dryRun, int codes, int accessTokens, int refreshTokens, int rotatedRefreshTokens, int families, int tombstones, bool complete, long elapsedMs);

    private sealed class Tally
    {
        public int Codes { get; private set; }

        public int AccessTokens { get; private set; }

        public int RefreshTokens { get; private set; }

        public int RotatedRefreshTokens { get; set; }

        public int Families { get; set; }

        public int FamiliesRescheduled { get; set; }

        public int Tombstones { get; private set; }

        public int Total => Codes + AccessTokens + RefreshTokens + RotatedRefreshTokens + Families + Tombstones;

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
