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
    /// <summary>Segments of a start, between two phase lines ("token" is the client receiving its first answer).</summary>
    private static readonly (string Name, string From, string To)[] Segments =
    [
        ("runtime start (process → Main)", "start", "main"),
        ("host builder (configuration, WebApplication.CreateBuilder)", "main", "builder"),
        ("settings read and validated", "builder", "settings-validated"),
        ("storage client created", "settings-validated", "storage-client"),
        ("page templates", "storage-client", "pages"),
        ("rest of the services, Build()", "pages", "built"),
        ("routes mapped, Kestrel started", "built", "listening"),
        ("first request, in the server (arrival → response written)", "first-request", "first-response"),
        ("… until its first storage call", "first-request", "storage-first-sent"),
        ("… first storage call (cold SDK pipeline, new connection)", "storage-first-sent", "storage-first-answered"),
        ("… the rest (second storage call, response)", "storage-first-answered", "first-response"),
        ("listening → first token at the client", "listening", "token"),
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

    private static TracePoint? At(ColdStartResult result, string phase) => phase switch
    {
        "start" => new TracePoint(0, 0, 0),
        "token" => new TracePoint(result.FirstTokenMs, result.Phases.GetValueOrDefault("first-response")?.JitMs ?? double.NaN, 0),
        _ => result.Phases.GetValueOrDefault(phase),
    };

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
        foreach (var variant in variants)
        {
            var runs = results.Where(r => r.Variant == variant.Name).ToList();
            report.Line($"### Breakdown: `{variant.Name}`").Line();
            var table = new MarkdownTable("segment", "ms, median (min–max)", "of which JIT ms (median)");
            foreach (var (name, from, to) in Segments)
            {
                var spans = runs.Select(r => (From: At(r, from), To: At(r, to))).Where(s => s.From is not null && s.To is not null).ToList();
                if (spans.Count == 0)
                {
                    continue;
                }

                var jit = spans.Select(s => s.To!.JitMs - s.From!.JitMs).Where(j => !double.IsNaN(j)).ToList();
                table.Add(name, Spread(spans.Select(s => s.To!.AtMs - s.From!.AtMs)), jit.Count == 0 ? null : Stats.Median(jit));
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
