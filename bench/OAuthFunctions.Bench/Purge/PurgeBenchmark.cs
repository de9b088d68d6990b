using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Bench.Reporting;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage;
using OAuthFunctions.Storage.Maintenance;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench.Purge;

/// <summary>
/// docs/BEHAVIOUR.md §8: the storage requests and time to purge N expired rows from a store that also holds M live rows
/// must not depend on M. Each run gets a fresh server and fresh tables on a fake clock; the purge is the real
/// <see cref="TokenPurger"/> the timer and the CLI run.
/// </summary>
internal sealed class PurgeBenchmark(PurgeBenchmarkOptions options)
{
    private const int SpotChecks = 200;

    public async Task<bool> RunAsync(BenchReport report, CancellationToken cancellationToken)
    {
        var runs = new List<PurgeRun>();
        foreach (var live in options.Live)
        {
            var repetitions = live >= options.LargeThreshold ? options.LargeRepetitions : options.Repetitions;
            for (var repetition = 1; repetition <= repetitions; repetition++)
            {
                BenchReport.Progress($"purge: M = {live:N0} live, N = {options.Expired:N0} expired, run {repetition}/{repetitions}");
                var run = await RunOnceAsync(live, new Random(live + repetition), cancellationToken);
                BenchReport.Progress($"  insert {run.InsertSeconds:F1} s; purge {run.Purge} in {run.PurgeSeconds:F3} s, deleted {run.Deleted:N0}; verified: {run.Verified}");
                runs.Add(run);
            }
        }

        Write(report, runs);
        return runs.TrueForAll(run => run.Verified);
    }

    private async Task<PurgeRun> RunOnceAsync(int live, Random random, CancellationToken cancellationToken)
    {
        await using var server = await OAuthTestServer.StartAsync(o =>
        {
            o.FakeTime = true;
            o.Quiet().With("OAuth:ClientCacheLifetime", "00:00:00");
        });
        var table = server.Tables.Tokens;
        try
        {
            var clock = server.FakeTime!;
            var data = PurgeDataset.Create(live, options.Expired, clock.GetUtcNow(), options.ExpiredHours, random);

            var watch = Stopwatch.StartNew();
            await TokenTable.InsertAsync(table, data.Live.Concat(data.Expired), cancellationToken);
            var insertSeconds = watch.Elapsed.TotalSeconds;

            clock.Advance(data.PurgeAt - clock.GetUtcNow());
            var now = clock.GetUtcNow();
            var (rangeRows, rangePartitions) = Ranges(data, now);
            var tablePartitions = data.Live.Concat(data.Expired).Select(row => row.PartitionKey).Distinct(StringComparer.Ordinal).Count();

            // For comparison only: what a purge without expiry keys would have to run (no deletes).
            server.Counter.Reset();
            watch.Restart();
            var naive = await TokenTable.ScanAsync(table, TableClient.CreateQueryFilter($"ExpiresAt le {now}"), cancellationToken);
            var naiveSeconds = watch.Elapsed.TotalSeconds;
            var naiveRequests = server.Counter.Count;

            var purger = server.Services.GetRequiredService<TokenPurger>();
            server.Counter.Reset();
            watch.Restart();
            var dryRun = await purger.PurgeAsync(dryRun: true, maxItems: int.MaxValue, cancellationToken);
            var dryRunSeconds = watch.Elapsed.TotalSeconds;
            var dryRunRequests = server.Counter.Count;

            server.Counter.Reset();
            watch.Restart();
            var purged = await purger.PurgeAsync(dryRun: false, maxItems: int.MaxValue, cancellationToken);
            var purgeSeconds = watch.Elapsed.TotalSeconds;
            var purgeRequests = RequestMix.Of(server.Counter.Requests);

            // The same purge again with nothing left: the cost of the range queries alone.
            server.Counter.Reset();
            watch.Restart();
            await purger.PurgeAsync(dryRun: false, maxItems: int.MaxValue, cancellationToken);
            var rerunSeconds = watch.Elapsed.TotalSeconds;
            var rerunRequests = RequestMix.Of(server.Counter.Requests);

            var expiredSample = data.Expired.OrderBy(_ => random.Next()).Take(SpotChecks).ToList();
            var liveSample = data.Live.OrderBy(_ => random.Next()).Take(SpotChecks).ToList();
            return new PurgeRun
            {
                Live = live,
                Expired = options.Expired,
                InsertSeconds = insertSeconds,
                RangeRows = rangeRows,
                RangePartitions = rangePartitions,
                TablePartitions = tablePartitions,
                DryRunRequests = dryRunRequests,
                DryRunSeconds = dryRunSeconds,
                DryRunFound = dryRun.Total,
                Purge = purgeRequests,
                PurgeSeconds = purgeSeconds,
                Deleted = purged.Total,
                Rerun = rerunRequests,
                RerunSeconds = rerunSeconds,
                NaiveRequests = naiveRequests,
                NaiveSeconds = naiveSeconds,
                NaiveMatched = naive.Rows,
                Remaining = (await TokenTable.ScanAsync(table, filter: null, cancellationToken)).Rows,
                ExpiredSampled = expiredSample.Count,
                ExpiredSampleLeft = await TokenTable.CountPresentAsync(table, expiredSample, cancellationToken),
                LiveSampled = liveSample.Count,
                LiveSampleLeft = await TokenTable.CountPresentAsync(table, liveSample, cancellationToken),
            };
        }
        finally
        {
            // Azurite keeps every table in memory; drop this run's before the next one.
            foreach (var created in server.Tables.All)
            {
                await created.DeleteAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Rows and partitions in the key ranges the purge queries ("{shard}-0000000" to "{shard}-{this hour}"), expired or
    /// not: what the service has to examine. Computed from the keys of the rows inserted.
    /// </summary>
    private static (int Rows, int Partitions) Ranges(PurgeDataset data, DateTimeOffset now)
    {
        var inRange = data.Live.Concat(data.Expired)
            .Select(row => row.PartitionKey)
            .Where(partition => Enumerable.Range(0, TokenHandle.MaxShards).Any(shard =>
                string.CompareOrdinal(partition, TableKeys.TokenPartition(shard, 0)) >= 0
                && string.CompareOrdinal(partition, TableKeys.TokenPartition(shard, TokenHandle.BucketOf(now))) <= 0))
            .ToList();
        return (inRange.Count, inRange.Distinct(StringComparer.Ordinal).Count());
    }

    private void Write(BenchReport report, List<PurgeRun> runs)
    {
        var byLive = runs.GroupBy(run => run.Live).ToList();
        report.Line("## Purge cost against live rows")
            .Line()
            .Line($"N = {options.Expired:N0} expired rows (codes, access tokens and expiring refresh tokens, a third each, expired over the past {options.ExpiredHours} hours) "
                + "in a store that also holds M live rows (half access tokens expiring in 1–24 h, 45 % never-expiring refresh tokens, 5 % codes expiring within minutes). "
                + "One `TokenPurger.PurgeAsync(dryRun: false)` with no cap; a fresh server, tables and data for every run. "
                + "Requests: q = range queries (one per shard, more if a page fills), b = entity-group transactions of ≤ 100 deletes. "
                + "\"Of which queries\" is a dry run of the same purge just before (same queries, no deletes); \"deletes\" is the rest.")
            .Line();

        var summary = new MarkdownTable("live rows M", "runs", "storage requests", "purge s (median)", "purge s (min–max)", "of which queries s", "of which deletes s", "rows deleted", "all N gone, all M kept");
        foreach (var group in byLive)
        {
            var seconds = group.Select(run => run.PurgeSeconds).ToList();
            summary.Add(
                group.Key,
                group.Count(),
                Distinct(group.Select(run => run.Purge.ToString())),
                Stats.Median(seconds),
                $"{seconds.Min():F2}–{seconds.Max():F2}",
                Stats.Median(group.Select(run => run.DryRunSeconds)),
                Stats.Median(group.Select(run => run.PurgeSeconds - run.DryRunSeconds)),
                Distinct(group.Select(run => run.Deleted.ToString("N0", CultureInfo.InvariantCulture))),
                group.All(run => run.Verified) ? "yes" : "**NO**");
        }

        report.Table(summary);

        report.Line("### Naive scan (for comparison)")
            .Line()
            .Line("What a purge without expiry keys must run before it can delete anything: one query over the whole Tokens table "
                + "filtered on `ExpiresAt le now` (keys only, 1,000 per page, nothing deleted), next to the keyed purge's own queries "
                + "(a dry run: same queries, no deletes). \"Rows examined\" and \"partitions\" are what the service has to read: every row of the "
                + "table for the scan; for the keyed purge, only the partitions of past hours and of the current hour.")
            .Line();
        var naive = new MarkdownTable("live rows M", "naive: rows examined", "naive: partitions", "naive: requests", "naive: s", "keyed: rows examined", "keyed: partitions", "keyed: requests", "keyed: s", "expired found (naive / keyed)");
        foreach (var group in byLive)
        {
            naive.Add(
                group.Key,
                group.Key + options.Expired,
                Distinct(group.Select(run => run.TablePartitions.ToString("N0", CultureInfo.InvariantCulture))),
                Distinct(group.Select(run => run.NaiveRequests.ToString(CultureInfo.InvariantCulture))),
                Stats.Median(group.Select(run => run.NaiveSeconds)),
                Distinct(group.Select(run => run.RangeRows.ToString("N0", CultureInfo.InvariantCulture))),
                Distinct(group.Select(run => run.RangePartitions.ToString(CultureInfo.InvariantCulture))),
                Distinct(group.Select(run => run.DryRunRequests.ToString(CultureInfo.InvariantCulture))),
                Stats.Median(group.Select(run => run.DryRunSeconds)),
                Distinct(group.Select(run => $"{run.NaiveMatched:N0} / {run.DryRunFound:N0}")));
        }

        report.Table(naive);

        report.Line("### Every run")
            .Line()
            .Line("Set-up (inserting the M + N rows in 100-row batches, 8 at a time) is timed separately and is not part of the purge. "
                + "\"Re-run\" is the same purge again right after, with nothing left to delete: the range queries alone.")
            .Line();
        var every = new MarkdownTable("live rows M", "set-up insert s", "purge requests", "purge s", "deleted", "re-run requests", "re-run s", "rows left", "spot checks: expired left, live kept");
        foreach (var run in runs)
        {
            every.Add(
                run.Live,
                run.InsertSeconds,
                run.Purge.ToString(),
                run.PurgeSeconds,
                run.Deleted,
                run.Rerun.ToString(),
                run.RerunSeconds,
                run.Remaining,
                $"{run.ExpiredSampleLeft}/{run.ExpiredSampled}, {run.LiveSampleLeft}/{run.LiveSampled}");
        }

        report.Table(every);
    }

    private static string Distinct(IEnumerable<string> values) => string.Join(" / ", values.Distinct(StringComparer.Ordinal));
}
