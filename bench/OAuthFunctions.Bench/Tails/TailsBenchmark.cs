using Azure.Data.Tables;
using Azure.Data.Tables.Sas;
using OAuthFunctions.Bench.Reporting;
using OAuthFunctions.Bench.Startup;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench.Tails;

/// <summary>
/// Latency tails at a given number of requests in flight: wrk (its own process) against the published local host (its own
/// process, ReadyToRun) for client_credentials and introspection, under each GC mode; and, in the same rounds, wrk
/// straight against Azurite for the storage operation each endpoint makes (an insert, a point read), SAS-signed: the
/// storage floor's own tail at the same concurrency. Rounds interleave everything, so a busy moment on the machine hits
/// every row alike; the server's CPU time per request comes from the process's own counters.
/// </summary>
internal sealed class TailsBenchmark(TailsBenchmarkOptions options)
{
    /// <summary>
    /// Runtime modes by name: DOTNET_gcServer, DOTNET_gcConcurrent and the thread pool's minimum worker threads
    /// (<c>System.Threading.ThreadPool.MinThreads</c>, which has no environment variable: written into the published
    /// runtimeconfig.json before the process starts; null leaves the runtime's default, one per core).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Server, string Concurrent, int? MinThreads, string Meaning)> Modes = new Dictionary<string, (string, string, int?, string)>
    {
        ["workstation"] = ("0", "1", null, "workstation, concurrent (the Functions app's runtime default)"),
        ["workstation-nonconcurrent"] = ("0", "0", null, "workstation, no background GC"),
        ["server"] = ("1", "1", null, "server GC, concurrent (what the Web SDK gives the local host by default)"),
        ["server-nonconcurrent"] = ("1", "0", null, "server GC, no background GC"),
        ["workstation-minthreads64"] = ("0", "1", 64, "workstation, concurrent, thread pool minimum 64 worker threads"),
    };

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public async Task<bool> RunAsync(BenchReport report, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Path.GetTempPath(), "oauthfunctions-tails-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            var host = StartupVariant.Parse("r2r");
            await host.PublishAsync(report.RepositoryRoot, work, cancellationToken);
            var target = await PrepareAsync(work);
            var results = new List<(int Connections, string Row, WrkResult Result, double CpuMsPerRequest, string? Load)>();
            var duration = TimeSpan.FromSeconds(options.Seconds);
            for (var round = 1; round <= options.Repetitions; round++)
            {
                foreach (var connections in options.Connections)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (var (row, url, script) in new[] { ("storage alone: insert", target.TableUrl, target.InsertScript), ("storage alone: point read", target.ReadUrl, target.ReadScript) })
                    {
                        var load = BenchEnvironment.LoadAverage();
                        var floor = await Wrk.RunAsync(url, script, connections, duration, cancellationToken);
                        Progress(round, connections, row, floor, cpu: double.NaN, load);
                        results.Add((connections, row, floor, double.NaN, load));
                    }

                    foreach (var mode in options.GcModes)
                    {
                        var (server, concurrent, minThreads, _) = Modes[mode];
                        RuntimeConfig.SetMinThreads(host.Assembly, minThreads);
                        var environment = new Dictionary<string, string>(target.Environment, StringComparer.Ordinal)
                        {
                            ["DOTNET_gcServer"] = server,
                            ["DOTNET_gcConcurrent"] = concurrent,
                        };
                        await using var process = await ServerProcess.StartAsync(host.Assembly, environment, cancellationToken);
                        foreach (var (operation, script) in new[] { ("client_credentials", target.TokenScript), ("introspect", target.IntrospectScript) })
                        {
                            await Wrk.RunAsync(process.Address.ToString(), script, connections, WarmUp, cancellationToken);
                            var load = BenchEnvironment.LoadAverage();
                            var before = process.Cpu;
                            var result = await Wrk.RunAsync(process.Address.ToString(), script, connections, duration, cancellationToken);
                            var cpu = (process.Cpu - before).TotalMilliseconds / Math.Max(1, result.Requests);
                            Progress(round, connections, $"{operation}, {mode}", result, cpu, load);
                            results.Add((connections, $"{operation}, {mode}", result, cpu, load));
                        }
                    }
                }
            }

            Write(report, results);
            return results.TrueForAll(r => r.Result.Failures == 0);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Progress(int round, int connections, string row, WrkResult result, double cpu, string? load) =>
        BenchReport.Progress($"tails: round {round}, {connections} connections, {row}: {result.PerSecond:F0}/s, p50 {result.P50:F1} ms, p99 {result.P99:F1} ms{(double.IsNaN(cpu) ? string.Empty : $", CPU {cpu:F2} ms/request")}{(result.Failures == 0 ? string.Empty : $", {result.Failures} not 2xx/3xx")}, load {load}");

    /// <summary>Tables, a client and an access token in the shared Azurite; wrk scripts for the server and for storage alone.</summary>
    private static async Task<TailsTarget> PrepareAsync(string work)
    {
        var prefix = "L" + Guid.NewGuid().ToString("N")[..12];
        var connection = await SharedAzurite.ConnectionStringAsync();
        await using var server = await OAuthTestServer.StartAsync(o => o.Quiet().TablePrefix = prefix);
        var client = await server.AddClientAsync();
        var now = DateTimeOffset.UtcNow;
        var expires = now + TimeSpan.FromDays(365);
        var token = new NewTokenPair(new NewToken(TokenHandle.Issue(TokenKind.AccessToken, expires), new TokenGrant(client.ClientId, null, null, 2, now, expires)), null);
        await server.Tokens.IssueAsync(token, CancellationToken.None);

        var table = new TableClient(connection, prefix + "Tokens");
        var sas = table.GenerateSasUri(TableSasPermissions.All, now + TimeSpan.FromDays(1));
        var row = TokenEntity.ForAccessToken(token);
        var read = new UriBuilder(sas) { Path = $"{sas.AbsolutePath}(PartitionKey='{row.PartitionKey}',RowKey='{row.RowKey}')" }.Uri;

        string Save(string name, string content)
        {
            var path = Path.Combine(work, name);
            File.WriteAllText(path, content);
            return path;
        }

        return new TailsTarget(
            new Dictionary<string, string>(StringComparer.Ordinal) { ["OAuthStorage"] = connection, ["OAuth__TablePrefix"] = prefix },
            Save("token.lua", LoadScripts.ClientCredentials(client)),
            Save("introspect.lua", LoadScripts.Introspect(client, token.Access.Handle.Value)),
            new UriBuilder(sas) { Path = "/", Query = string.Empty }.Uri.ToString(),
            Save("insert.lua", LoadScripts.Insert(sas, TokenHandle.BucketOf(expires))),
            read.ToString(),
            Save("read.lua", LoadScripts.Read()));
    }

    private void Write(BenchReport report, List<(int Connections, string Row, WrkResult Result, double CpuMsPerRequest, string? Load)> results)
    {
        report.Line("## Latency tails at a fixed number of requests in flight")
            .Line()
            .Line($"wrk 4.x, 2 threads, closed loop ({string.Join(" and ", options.Connections)} connections), {options.Seconds} s per run after a "
                + $"{WarmUp.TotalSeconds:F0}-s warm-up per server and operation, {options.Repetitions} rounds; medians over the rounds, (min–max). "
                + "The server is the ReadyToRun-published local host in a process of its own (client cache on, as deployed). "
                + "\"Storage alone\" sends the storage operation each endpoint makes (client_credentials: one insert; introspection: one point read) "
                + "straight to the same Azurite, SAS-signed: the floor. CPU ms per request is the server process's own CPU time over the run. "
                + "Runtime modes: " + string.Join("; ", options.GcModes.Select(m => $"`{m}` {Modes[m].Meaning}")) + ".")
            .Line();
        foreach (var group in results.GroupBy(r => r.Connections))
        {
            report.Line($"### {group.Key} connections").Line();
            var table = new MarkdownTable("row", "requests/s", "p50 ms", "p90 ms", "p99 ms", "p99 / p50", "CPU ms per request", "share of the floor", "not 2xx/3xx", "load");
            var floors = group.Where(r => r.Row.StartsWith("storage", StringComparison.Ordinal)).GroupBy(r => r.Row).ToDictionary(g => g.Key, g => Stats.Median(g.Select(r => r.Result.PerSecond)));
            foreach (var row in group.GroupBy(r => r.Row))
            {
                var floor = row.Key.StartsWith("client_credentials", StringComparison.Ordinal) ? floors.GetValueOrDefault("storage alone: insert")
                    : row.Key.StartsWith("introspect", StringComparison.Ordinal) ? floors.GetValueOrDefault("storage alone: point read")
                    : double.NaN;
                var perSecond = Stats.Median(row.Select(r => r.Result.PerSecond));
                table.Add(
                    row.Key,
                    Spread(row.Select(r => r.Result.PerSecond)),
                    Spread(row.Select(r => r.Result.P50)),
                    Stats.Median(row.Select(r => r.Result.P90)),
                    Spread(row.Select(r => r.Result.P99)),
                    Stats.Median(row.Select(r => r.Result.P99 / r.Result.P50)),
                    row.All(r => double.IsNaN(r.CpuMsPerRequest)) ? null : Stats.Median(row.Select(r => r.CpuMsPerRequest)),
                    double.IsNaN(floor) || floor == 0 ? null : perSecond / floor,
                    row.Sum(r => r.Result.Failures),
                    string.Join(", ", row.Select(r => r.Load)));
            }

            report.Table(table);
        }
    }

    private static string Spread(IEnumerable<double> values)
    {
        var list = values.ToList();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Stats.Median(list):F1} ({list.Min():F1}–{list.Max():F1})");
    }

    private sealed record TailsTarget(
        IReadOnlyDictionary<string, string> Environment,
        string TokenScript,
        string IntrospectScript,
        string TableUrl,
        string InsertScript,
        string ReadUrl,
        string ReadScript);
}
