using OAuthFunctions.Bench.Reporting;

namespace OAuthFunctions.Bench.Tokens;

/// <summary>
/// Throughput, latency and storage cost of the token, introspection and revocation endpoints over real HTTP against
/// the local host and Azurite. Storage cost is first counted with client caching off (what the storage cost tests
/// assert), then throughput is measured with the default client cache, as a deployed instance runs.
/// </summary>
internal sealed class TokensBenchmark(TokensBenchmarkOptions options)
{
    public async Task<bool> RunAsync(BenchReport report, CancellationToken cancellationToken)
    {
        var uncached = await UncachedCostsAsync(cancellationToken);
        var results = new List<(TokenOperation Operation, LoadResult Load, int StorageRequests)>();
        (LoadResult Inserts, LoadResult Reads) baseline;
        await using (var fixture = await TokenFixture.StartAsync(cacheClients: true))
        {
            foreach (var operation in TokenOperations.All)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = operation.Name == "authorization_code" ? options.CodeCount : options.Count;
                BenchReport.Progress($"tokens: {operation.Name}: preparing {options.Warmup + count:N0}");
                var prepared = await operation.PrepareAsync(fixture, options.Warmup + count);
                await LoadRunner.RunAsync([.. prepared.Take(options.Warmup)], options.Concurrency);
                fixture.Server.Counter.Reset();
                var load = await LoadRunner.RunAsync([.. prepared.Skip(options.Warmup)], options.Concurrency);
                var storage = fixture.Server.Counter.Count;
                BenchReport.Progress($"  {load.PerSecond:F0} ops/s, p50 {Stats.Median(load.LatenciesMs):F1} ms, {storage / (double)count:F2} storage requests/op, {load.Failures} failures");
                results.Add((operation, load, storage));
            }

            // Last, when everything is warm, as the endpoint runs were.
            BenchReport.Progress("tokens: Azurite alone (inserts and point reads straight from a table client)");
            await StorageBaseline.MeasureAsync(fixture.Server, options.Warmup, options.Concurrency);
            baseline = await StorageBaseline.MeasureAsync(fixture.Server, options.Count, options.Concurrency);
            BenchReport.Progress($"  {baseline.Inserts.PerSecond:F0} inserts/s, {baseline.Reads.PerSecond:F0} point reads/s");
        }

        Write(report, uncached, results, baseline);
        return results.TrueForAll(r => r.Load.Failures == 0) && uncached.Values.All(c => c.Failures == 0)
            && baseline.Inserts.Failures == 0 && baseline.Reads.Failures == 0;
    }

    /// <summary>Storage requests per operation with the client cache off, each operation run on its own, in sequence.</summary>
    private async Task<Dictionary<string, (double PerOperation, int Failures)>> UncachedCostsAsync(CancellationToken cancellationToken)
    {
        var costs = new Dictionary<string, (double, int)>();
        await using var fixture = await TokenFixture.StartAsync(cacheClients: false);
        foreach (var operation in TokenOperations.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BenchReport.Progress($"tokens: {operation.Name}: storage cost, client cache off");
            var prepared = await operation.PrepareAsync(fixture, options.CostSamples);
            fixture.Server.Counter.Reset();
            var failures = 0;
            foreach (var request in prepared)
            {
                failures += await request() ? 0 : 1;
            }

            costs[operation.Name] = (fixture.Server.Counter.Count / (double)prepared.Count, failures);
        }

        return costs;
    }

    private void Write(
        BenchReport report,
        Dictionary<string, (double PerOperation, int Failures)> uncached,
        List<(TokenOperation Operation, LoadResult Load, int StorageRequests)> results,
        (LoadResult Inserts, LoadResult Reads) baseline)
    {
        report.Line("## Storage requests per operation")
            .Line()
            .Line($"Counted by a pipeline policy on the table clients (a retried request would count twice). \"Client cache off\": "
                + $"`OAuth:ClientCacheLifetime` = 0, {options.CostSamples} requests one after another, as the storage cost tests run them. "
                + "\"Default cache\": averaged over the whole load run below (the client is read once per cache lifetime, 1 minute).")
            .Line();
        var costs = new MarkdownTable("operation", "budget", "tests assert (cache off)", "measured, cache off", "measured, default cache");
        foreach (var (operation, load, storage) in results)
        {
            costs.Add(operation.Name, operation.Budget, operation.AssertedUncached, uncached[operation.Name].PerOperation, storage / (double)load.Count);
        }

        report.Table(costs);

        report.Line("## Throughput and latency")
            .Line()
            .Line($"Real HTTP to the local host (the Functions app's function classes on Kestrel) in the benchmark process; {options.Concurrency} concurrent "
                + $"requests; {options.Warmup} warm-up requests per operation first (not counted). Every code and token is presented once "
                + "(issued beforehand through the store). Client, server and Azurite share the machine's cores, and Azurite (one Node.js "
                + "process) is the bottleneck: storage, not the server, sets these numbers. The last two rows are Azurite alone, "
                + "straight from a table client at the same concurrency, for scale.")
            .Line();
        var throughput = new MarkdownTable("operation", "requests", "requests/s", "p50 ms", "p95 ms", "p99 ms", "storage requests/s", "failures");
        foreach (var (operation, load, storage) in results)
        {
            throughput.Add(
                operation.Name,
                load.Count,
                load.PerSecond,
                Stats.Percentile(load.LatenciesMs, 50),
                Stats.Percentile(load.LatenciesMs, 95),
                Stats.Percentile(load.LatenciesMs, 99),
                storage / load.Elapsed.TotalSeconds,
                load.Failures);
        }

        foreach (var (name, load) in new[] { ("Azurite alone: insert a token row", baseline.Inserts), ("Azurite alone: point read", baseline.Reads) })
        {
            throughput.Add(
                name,
                load.Count,
                load.PerSecond,
                Stats.Percentile(load.LatenciesMs, 50),
                Stats.Percentile(load.LatenciesMs, 95),
                Stats.Percentile(load.LatenciesMs, 99),
                load.PerSecond,
                load.Failures);
        }

        report.Table(throughput);
    }
}
