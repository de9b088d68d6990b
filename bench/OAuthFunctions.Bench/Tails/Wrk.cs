using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OAuthFunctions.Bench.Tails;

/// <summary>
/// Runs wrk (closed loop: a fixed number of connections, each sending its next request when the last one was answered)
/// and reads its <c>--latency</c> report. wrk runs as a separate process, outside the server under test.
/// </summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(string url, string script, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "10s", "--latency", "-s", script, url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("Could not run wrk (apt-get install -y wrk).");
        var output = await wrk.StandardOutput.ReadToEndAsync(cancellationToken);
        await wrk.WaitForExitAsync(cancellationToken);
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({wrk.ExitCode}): {output}{await wrk.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        return new WrkResult(
            Milliseconds(output, "50%"),
            Milliseconds(output, "90%"),
            Milliseconds(output, "99%"),
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            NonSuccess().Match(output) is { Success: true } failed ? long.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    private static double Milliseconds(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new InvalidOperationException($"No {percentile} latency in wrk's output: {output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s*([0-9]+) requests in", RegexOptions.Multiline)]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex NonSuccess();
}

/// <summary>One wrk run: latency percentiles in milliseconds, throughput, and answers that were not 2xx/3xx.</summary>
internal sealed record WrkResult(double P50, double P90, double P99, double PerSecond, long Requests, long Failures);
