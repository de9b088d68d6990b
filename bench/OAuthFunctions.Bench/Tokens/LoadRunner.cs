using System.Diagnostics;

namespace OAuthFunctions.Bench.Tokens;

/// <summary>Runs prepared operations, each once, from a fixed number of concurrent workers; times each one.</summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(IReadOnlyList<Func<Task<bool>>> operations, int concurrency)
    {
        var latencies = new double[operations.Count];
        var failures = 0;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < operations.Count)
            {
                var begun = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await operations[i]();
                }
                catch (Exception ex) when (ex is HttpRequestException or Azure.RequestFailedException)
                {
                    ok = false;
                }

                latencies[i] = Stopwatch.GetElapsedTime(begun).TotalMilliseconds;
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        await Task.WhenAll(workers);
        return new LoadResult(operations.Count, Stopwatch.GetElapsedTime(started), latencies, failures);
    }
}

internal sealed record LoadResult(int Count, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs, int Failures)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}
