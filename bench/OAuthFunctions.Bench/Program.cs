using System.CommandLine;
using OAuthFunctions.Bench.IdTokens;
using OAuthFunctions.Bench.Purge;
using OAuthFunctions.Bench.Reporting;
using OAuthFunctions.Bench.Startup;
using OAuthFunctions.Bench.Tails;
using OAuthFunctions.Bench.Tokens;

// dotnet run -c Release --project bench/OAuthFunctions.Bench -- purge|tokens|idtoken|startup|tails [options]; results in docs/PERFORMANCE.md.
var live = new Option<int[]>("--live")
{
    Description = "Live rows M, one run set each.",
    AllowMultipleArgumentsPerToken = true,
    DefaultValueFactory = _ => [1_000, 10_000, 100_000],
};
var expired = new Option<int>("--expired") { Description = "Expired rows N.", DefaultValueFactory = _ => 1_000 };
var repetitions = new Option<int>("--repetitions") { Description = "Runs per M (fresh data each).", DefaultValueFactory = _ => 3 };
var largeThreshold = new Option<int>("--large") { Description = "M from which --large-repetitions applies.", DefaultValueFactory = _ => 100_000 };
var largeRepetitions = new Option<int>("--large-repetitions") { Description = "Runs per M for M >= --large.", DefaultValueFactory = _ => 3 };
var expiredHours = new Option<int>("--expired-hours") { Description = "Hours over which the expired rows expired.", DefaultValueFactory = _ => 3 };
var purge = new Command("purge", "Storage requests and seconds to purge N expired rows next to M live ones.")
{
    live, expired, repetitions, largeThreshold, largeRepetitions, expiredHours,
};
purge.SetAction((parse, cancellationToken) => RunAsync("purge", args, report =>
    new PurgeBenchmark(new PurgeBenchmarkOptions(
        parse.GetValue(live)!,
        Positive(parse.GetValue(expired)),
        Positive(parse.GetValue(repetitions)),
        parse.GetValue(largeThreshold),
        Positive(parse.GetValue(largeRepetitions)),
        Positive(parse.GetValue(expiredHours)))).RunAsync(report, cancellationToken)));

var count = new Option<int>("--count") { Description = "Measured requests per operation.", DefaultValueFactory = _ => 2_000 };
var codeCount = new Option<int?>("--code-count") { Description = "Measured authorization_code exchanges (default: --count)." };
var concurrency = new Option<int>("--concurrency", "-c") { Description = "Concurrent requests.", DefaultValueFactory = _ => 16 };
var warmup = new Option<int>("--warmup") { Description = "Warm-up requests per operation.", DefaultValueFactory = _ => 200 };
var costSamples = new Option<int>("--cost-samples") { Description = "Sequential requests per operation for the uncached storage cost.", DefaultValueFactory = _ => 20 };
var tokens = new Command("tokens", "Throughput, latency and storage requests of the token, introspection and revocation endpoints.")
{
    count, codeCount, concurrency, warmup, costSamples,
};
tokens.SetAction((parse, cancellationToken) => RunAsync("tokens", args, report =>
    new TokensBenchmark(new TokensBenchmarkOptions(
        Positive(parse.GetValue(count)),
        Positive(parse.GetValue(codeCount) ?? parse.GetValue(count)),
        Positive(parse.GetValue(concurrency)),
        parse.GetValue(warmup),
        Positive(parse.GetValue(costSamples)))).RunAsync(report, cancellationToken)));

var idCount = new Option<int>("--count") { Description = "Measured ID tokens per algorithm.", DefaultValueFactory = _ => 20_000 };
var idWarmup = new Option<int>("--warmup") { Description = "Warm-up ID tokens per algorithm.", DefaultValueFactory = _ => 2_000 };
var idtoken = new Command("idtoken", "CPU cost of signing and verifying an ID token, RS256 against ES256 (no storage).") { idCount, idWarmup };
idtoken.SetAction((parse, cancellationToken) => RunAsync("idtoken", args, report =>
    new IdTokenBenchmark(Positive(parse.GetValue(idCount)), parse.GetValue(idWarmup)).RunAsync(report)));

var runs = new Option<int>("--runs") { Description = "Cold starts per variant.", DefaultValueFactory = _ => 10 };
var variants = new Option<string[]>("--variants")
{
    Description = "bare (the minimal ASP.NET Core floor), jit or r2r (the local host published without or with ReadyToRun), each optionally +NAME=VALUE for the process's environment.",
    AllowMultipleArgumentsPerToken = true,
    DefaultValueFactory = _ => ["bare", "jit", "r2r"],
};
var startup = new Command("startup", "Cold start to first client_credentials token against running storage, with a phase breakdown.") { runs, variants };
startup.SetAction((parse, cancellationToken) => RunAsync("startup", args, report =>
    new StartupBenchmark(new StartupBenchmarkOptions(Positive(parse.GetValue(runs)), parse.GetValue(variants)!)).RunAsync(report, cancellationToken)));

var rounds = new Option<int>("--rounds") { Description = "Rounds, each running every row once per connection count.", DefaultValueFactory = _ => 3 };
var connections = new Option<int[]>("--connections")
{
    Description = "wrk connections (requests in flight).",
    AllowMultipleArgumentsPerToken = true,
    DefaultValueFactory = _ => [16, 64],
};
var seconds = new Option<int>("--seconds") { Description = "Length of each measured wrk run.", DefaultValueFactory = _ => 10 };
var gc = new Option<string[]>("--gc")
{
    Description = "Runtime modes to compare: " + string.Join(", ", TailsBenchmark.Modes.Keys) + ".",
    AllowMultipleArgumentsPerToken = true,
    DefaultValueFactory = _ => [.. TailsBenchmark.Modes.Keys],
};
var tails = new Command("tails", "Latency percentiles of client_credentials and introspection under wrk, per GC mode, next to the storage floor's own.") { rounds, connections, seconds, gc };
tails.SetAction((parse, cancellationToken) => RunAsync("tails", args, report =>
    new TailsBenchmark(new TailsBenchmarkOptions(Positive(parse.GetValue(rounds)), parse.GetValue(connections)!, Positive(parse.GetValue(seconds)), parse.GetValue(gc)!)).RunAsync(report, cancellationToken)));

var root = new RootCommand("OAuthFunctions benchmarks against the local host and Azurite (docs/PERFORMANCE.md).") { purge, tokens, idtoken, startup, tails };
return await root.Parse(args).InvokeAsync();

static async Task<int> RunAsync(string benchmark, string[] args, Func<BenchReport, Task<bool>> run)
{
    var report = new BenchReport(benchmark, BenchEnvironment.Detect());
    var passed = await run(report);
    if (!passed)
    {
        report.Line("**Some checks failed: see the tables above.**");
    }

    var path = await report.SaveAsync(string.Join(' ', args));
    BenchReport.Progress($"written to {path}");
    return passed ? 0 : 1;
}

static int Positive(int value) =>
    value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be positive.");
