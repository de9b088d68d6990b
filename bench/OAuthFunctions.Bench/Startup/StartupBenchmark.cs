using OAuthFunctions.Bench.Reporting;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench.Startup;

/// <summary>
/// Cold start to first token: each variant's process is started N times against an Azurite that is already running
/// (tables and a confidential client in place, as on Azure), interleaved so that a busy moment on the machine hits
/// every variant alike; one unmeasured start per variant first warms the file cache. The breakdown comes from the phase
/// lines the process writes (<c>OAUTH_STARTUP_TRACE=1</c>), with the runtime's own JIT counters.
/// </summary>
internal sealed class StartupBenchmark(StartupBenchmarkOptions options)
{
    /// <summary>What each phase line marks, in the order a start passes them ("token": the client has its first answer).</summary>
    private static readonly (string Phase, string Meaning)[] Phases =
    [
        ("start", "just before `Process.Start` in the benchmark"),
        ("main", "first line of `Program`: the runtime has started and loaded the app"),
        ("builder", "`WebApplication.CreateBuilder` returned (configuration, logging, Kestrel defaults)"),
        ("settings-validated", "`OAuth` settings read and validated (`OAuthOptionsLoader`)"),
        ("storage-client", "table service client and stores registered"),
        ("pages", "page renderer registered"),
        ("built", "`builder.Build()` returned"),
        ("mapped", "routes mapped from the functions' attributes"),
        ("listening", "`StartAsync` returned: hosted services started, Kestrel listening"),
        ("first-request", "the first request reaches the app's first middleware"),
        ("storage-first-sent", "the process's first table request is sent"),
        ("storage-first-answered", "… and answered (cold SDK pipeline, new connection)"),
        ("first-response", "the first response is written"),
        ("token", "the client has the first token"),
    ];

    public async Task<bool> RunAsync(BenchReport report, CancellationToken cancellationToken)
    {
        var variants = options.Variants.Select(StartupVariant.Parse).ToList();
        var work = Path.Combine(Path.GetTempPath(), "oauthfunctions-startup-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            foreach (var variant in variants)
            {
                await variant.PublishAsync(report.RepositoryRoot, work, cancellationToken);
            }

            var target = await PrepareAsync();
            using var handler = new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.Zero };
            var results = new List<ColdStartResult>();
            for (var run = 0; run <= options.Runs; run++)
            {
                foreach (var variant in variants)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var result = await ColdStart.RunAsync(variant, target, handler, cancellationToken);
                    BenchReport.Progress($"startup: {variant.Name} {(run == 0 ? "warm-up" : $"run {run}/{options.Runs}")}: listening {Listening(result):F0} ms, first token {result.FirstTokenMs:F0} ms (CPU {result.CpuMs:F0} ms), second {result.SecondTokenMs:F1} ms, load {result.Load}");
                    if (run > 0)
                    {
                        results.Add(result);
                    }
                }
            }

            Write(report, variants, results);
            return results.TrueForAll(r => r.Ok);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Tables and a confidential client in the shared Azurite, written by an in-process server that then goes.</summary>
    private static async Task<StartupTarget> PrepareAsync()
    {
        var prefix = "S" + Guid.NewGuid().ToString("N")[..12];
        await using var server = await OAuthTestServer.StartAsync(o => o.Quiet().TablePrefix = prefix);
        var client = await server.AddClientAsync();
        return new StartupTarget(await SharedAzurite.ConnectionStringAsync(), prefix, client);
    }

    private static double Listening(ColdStartResult result) => result.Phases.TryGetValue("listening", out var point) ? point.AtMs : double.NaN;

    /// <summary>The run's phase lines in time order, with the client's first answer as "token".</summary>
    private static List<(string Phase, TracePoint Point)> Timeline(ColdStartResult result)
    {
        var points = result.Phases.Select(p => (p.Key, p.Value)).ToList();
        points.Add(("start", new TracePoint(0, 0, 0)));
        points.Add(("token", new TracePoint(result.FirstTokenMs, result.Phases.GetValueOrDefault("first-response")?.JitMs ?? double.NaN, 0)));
        return [.. points.OrderBy(p => p.Item2.AtMs)];
    }

    private void Write(BenchReport report, List<StartupVariant> variants, List<ColdStartResult> results)
    {
        report.Line("## Cold start to first token")
            .Line()
            .Line($"{options.Runs} starts per variant (after one unmeasured start each), interleaved. Each process is started with "
                + "`dotnet <app>.dll --urls http://127.0.0.1:<free port>` against the already running Azurite (the tables and a "
                + "confidential client exist; the connection string is given, so the local host neither starts Azurite nor creates "
                + "tables, as on Azure); the first `client_credentials` request is sent as soon as the process says it listens. "
                + "Milliseconds from just before `Process.Start`; median (min–max). Variants: `bare` is a minimal ASP.NET Core app "
                + "(bench/OAuthFunctions.Bench.BareApp) answering one form POST, the floor; `jit` and `r2r` are the local host "
                + "published framework-dependent without and with ReadyToRun; `+NAME=VALUE` sets an environment variable. \"CPU ms\" is "
                + "the process's CPU time over all threads when the first token arrived: less distorted by other load than wall time. "
                + "\"JIT ms\" is the runtime's own compilation time over all threads (background tier-1 recompilation included).")
            .Line();
        var summary = new MarkdownTable("variant", "runs ok", "listening ms", "first token ms", "CPU ms to first token", "second token ms", "JIT ms to first response", "methods JIT-compiled", "load (1-min avg)");
        foreach (var variant in variants)
        {
            var runs = results.Where(r => r.Variant == variant.Name).ToList();
            const string last = "first-response";
            summary.Add(
                variant.Name,
                $"{runs.Count(r => r.Ok)}/{runs.Count}",
                Spread(runs.Select(Listening)),
                Spread(runs.Select(r => r.FirstTokenMs)),
                Spread(runs.Select(r => r.CpuMs)),
                Spread(runs.Select(r => r.SecondTokenMs)),
                Stats.Median(runs.Select(r => r.Phases.GetValueOrDefault(last)?.JitMs ?? double.NaN)),
                Stats.Median(runs.Select(r => (double)(r.Phases.GetValueOrDefault(last)?.Methods ?? 0))),
                Spread(runs.Select(r => double.TryParse(r.Load, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : double.NaN)));
        }

        report.Table(summary);
        report.Line("Phase lines, in the order a start passes them: " + string.Join("; ", Phases.Select(p => $"`{p.Phase}` {p.Meaning}")) + ".").Line();
        foreach (var variant in variants)
        {
            var runs = results.Where(r => r.Variant == variant.Name).ToList();
            report.Line($"### Breakdown: `{variant.Name}`").Line();
            var table = new MarkdownTable("from → to", "ms, median (min–max)", "of which JIT ms (median)");
            var segments = runs.SelectMany(r =>
            {
                var timeline = Timeline(r);
                return timeline.Zip(timeline.Skip(1), (from, to) => (Name: $"{from.Phase} → {to.Phase}", Ms: to.Point.AtMs - from.Point.AtMs, Jit: to.Point.JitMs - from.Point.JitMs));
            }).GroupBy(segment => segment.Name);
            foreach (var segment in segments.OrderBy(g => Array.FindIndex(Phases, p => g.Key.EndsWith(" " + p.Phase, StringComparison.Ordinal))))
            {
                var jit = segment.Select(x => x.Jit).Where(j => !double.IsNaN(j)).ToList();
                table.Add($"{segment.Key}{(segment.Count() < runs.Count ? $" ({segment.Count()} of {runs.Count} runs)" : string.Empty)}", Spread(segment.Select(x => x.Ms)), jit.Count == 0 ? null : Stats.Median(jit));
            }

            report.Table(table);
        }
    }

    private static string Spread(IEnumerable<double> values)
    {
        var list = values.Where(v => !double.IsNaN(v)).ToList();
        return list.Count == 0 ? "–" : $"{Format(Stats.Median(list))} ({Format(list.Min())}–{Format(list.Max())})";
    }

    private static string Format(double value) =>
        value.ToString(Math.Abs(value) >= 10 ? "F0" : "F1", System.Globalization.CultureInfo.InvariantCulture);
}
