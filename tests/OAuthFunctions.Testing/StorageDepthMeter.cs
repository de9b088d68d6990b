using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OAuthFunctions.Testing;

/// <summary>
/// Holds every table request for a fixed <see cref="Delay"/> before it is sent, as a distant storage account would, and
/// records when each one started and ended. From those intervals, <see cref="Depth"/> is the number of storage round trips
/// that stand one after another on the operation's path (docs/PERFORMANCE.md, "Sequential depth"): the longest chain of
/// requests each of which started after the previous one had ended. Requests sent together (<c>Task.WhenAll</c>) overlap
/// for the whole delay, so they count once whatever the machine's load; on Azure each level of the chain costs a
/// network round trip.
/// </summary>
public sealed class StorageDepthMeter : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<Interval> _intervals = new();

    /// <summary>Added to every request; zero sends at once (the intervals are still recorded).</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<Interval> Intervals => [.. _intervals];

    /// <summary>The longest chain of requests that did not overlap: how many round trips the operation waited for in turn.</summary>
    public int Depth => DepthOf(Intervals);

    public void Reset() => _intervals.Clear();

    /// <summary>The chain of <see cref="Depth"/>, level by level, for failure messages.</summary>
    public string Describe()
    {
        var levels = Levels(Intervals);
        return string.Join(Environment.NewLine, levels.OrderBy(l => l.Key.Start).Select(l => $"level {l.Value}: {l.Key.Request}"));
    }

    public static int DepthOf(IReadOnlyList<Interval> intervals)
    {
        var levels = Levels(intervals);
        return levels.Count == 0 ? 0 : levels.Values.Max();
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, message.CancellationToken);
            }

            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            _intervals.Enqueue(new Interval(start, Stopwatch.GetTimestamp(), $"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}"));
        }
    }

    /// <summary>Each request's place in the longest chain that ends with it (1 for a request nothing ran before).</summary>
    private static Dictionary<Interval, int> Levels(IReadOnlyList<Interval> intervals)
    {
        var levels = new Dictionary<Interval, int>();
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            var before = levels.Where(l => l.Key.End <= interval.Start).Select(l => l.Value).DefaultIfEmpty(0).Max();
            levels[interval] = before + 1;
        }

        return levels;
    }

    /// <summary>One request: <see cref="Stopwatch"/> timestamps of its start (before the delay) and of its answer.</summary>
    public sealed record Interval(long Start, long End, string Request);
}
