using System.Globalization;
using System.Text;

namespace OAuthFunctions.Bench.Reporting;

/// <summary>
/// A benchmark's Markdown result: written to stdout and to <c>bench/results/{benchmark}-{UTC timestamp}.md</c>
/// (git-ignored). Progress goes to stderr so that stdout is the report alone.
/// </summary>
internal sealed class BenchReport(string benchmark, BenchEnvironment environment)
{
    private readonly StringBuilder _text = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly string? _loadAtStart = BenchEnvironment.LoadAverage();

    public string RepositoryRoot => environment.RepositoryRoot;

    public BenchReport Line(string line = "")
    {
        _text.AppendLine(line);
        return this;
    }

    public BenchReport Table(MarkdownTable table)
    {
        _text.Append(table).AppendLine();
        return this;
    }

    public static void Progress(string message) =>
        Console.Error.WriteLine($"[{DateTimeOffset.UtcNow:HH:mm:ss}] {message}");

    public async Task<string> SaveAsync(string commandLine)
    {
        var header = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Benchmark `{benchmark}` — {_started:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine(environment.Describe())
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/OAuthFunctions.Bench -- {commandLine}`; wall time {DateTimeOffset.UtcNow - _started:hh\\:mm\\:ss}.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"1-minute load average at start {_loadAtStart ?? "?"}, at end {BenchEnvironment.LoadAverage() ?? "?"} (the benchmark itself adds up to about 2); other work on the machine lowers throughput, never the request counts.")
            .AppendLine();
        var report = header.Append(_text).ToString();
        var directory = Path.Combine(environment.RepositoryRoot, "bench", "results");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{benchmark}-{_started:yyyyMMdd'T'HHmmss'Z'}.md");
        await File.WriteAllTextAsync(path, report);
        await Console.Out.WriteAsync(report);
        await Console.Out.FlushAsync();
        return path;
    }
}
