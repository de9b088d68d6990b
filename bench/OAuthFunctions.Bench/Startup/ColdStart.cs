using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using OAuthFunctions.Bench.Reporting;
using OAuthFunctions.Bench.Tokens;
using OAuthFunctions.Hosting;
using OAuthFunctions.LocalHost;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench.Startup;

/// <summary>
/// One cold start: the variant's process is started against storage that is already running, and timed from just
/// before <c>Process.Start</c> to "listening" (its own trace line) and to the answer of a first client_credentials
/// request sent at once; then a second request shows the warm latency. Every phase line the process writes
/// (<see cref="StartupTrace"/>) is kept, as milliseconds since the start.
/// </summary>
internal static class ColdStart
{
    private const string Path = "/oauth2/access_token";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<ColdStartResult> RunAsync(StartupVariant variant, StartupTarget target, HttpMessageHandler handler, CancellationToken cancellationToken)
    {
        var port = AzuriteProcess.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = variant.Directory,
        };
        start.ArgumentList.Add(variant.Assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment[StartupTrace.Variable] = "1";
        start.Environment["OAuthStorage"] = target.ConnectionString;
        start.Environment["OAuth__TablePrefix"] = target.TablePrefix;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in variant.Environment)
        {
            start.Environment[name] = value;
        }

        var phases = new ConcurrentDictionary<string, TracePoint>(StringComparer.Ordinal);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = BenchEnvironment.LoadAverage();
        var begun = Micros();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(StartupTrace.Prefix, StringComparison.Ordinal))
            {
                var fields = line[StartupTrace.Prefix.Length..].Split(' ');
                phases[fields[0]] = new TracePoint(
                    (long.Parse(fields[1], CultureInfo.InvariantCulture) - begun) / 1000.0,
                    long.Parse(fields[2], CultureInfo.InvariantCulture) / 1000.0,
                    int.Parse(fields[3], CultureInfo.InvariantCulture));
                if (fields[0] == "listening")
                {
                    listening.TrySetResult();
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var exited = process.WaitForExitAsync(cancellationToken);
            if (await Task.WhenAny(listening.Task, exited, Task.Delay(Patience, cancellationToken)) != listening.Task)
            {
                throw new InvalidOperationException($"{variant.Name} did not listen within {Patience.TotalSeconds} s (exited: {process.HasExited}).");
            }

            using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var ok = await FormPost.SendAsync(http, Path, null, "\"access_token\"", Form(target));
            var firstToken = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            var cpu = process.TotalProcessorTime.TotalMilliseconds;
            var secondStarted = watch.Elapsed;
            ok &= await FormPost.SendAsync(http, Path, null, "\"access_token\"", Form(target));
            var second = (watch.Elapsed - secondStarted).TotalMilliseconds;
            return new ColdStartResult(variant.Name, ok, firstToken, second, cpu, new Dictionary<string, TracePoint>(phases, StringComparer.Ordinal), load);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static (string Name, string Value)[] Form(StartupTarget target) =>
        [("grant_type", "client_credentials"), ("client_id", target.Client.ClientId), ("client_secret", target.Client.Secret!)];

    private static long Micros() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
}

/// <summary>A phase line: milliseconds since the parent started the process, JIT milliseconds and methods compiled so far.</summary>
internal sealed record TracePoint(double AtMs, double JitMs, int Methods);

/// <summary>What one cold start measured; <paramref name="CpuMs"/> is the process's CPU time (all threads) when the first token arrived.</summary>
internal sealed record ColdStartResult(string Variant, bool Ok, double FirstTokenMs, double SecondTokenMs, double CpuMs, IReadOnlyDictionary<string, TracePoint> Phases, string? Load);

/// <summary>The running storage, the tables' prefix and the registered client every cold start uses.</summary>
internal sealed record StartupTarget(string ConnectionString, string TablePrefix, TestClient Client);
