using System.Globalization;
using System.Runtime;

namespace OAuthFunctions.Hosting;

/// <summary>
/// Phase timestamps for the cold-start benchmark (<c>bench … -- startup</c>, docs/PERFORMANCE.md). Off unless the
/// environment variable <c>OAUTH_STARTUP_TRACE</c> is <c>1</c>; then each phase writes one line to stderr:
/// <c>startup-trace {phase} {Unix time, µs} {JIT time so far, µs} {methods compiled so far}</c>. The benchmark reads
/// the lines of the child process it started and subtracts its own clock at <c>Process.Start</c>; the JIT columns
/// are the runtime's own counters (<see cref="JitInfo"/>), so the share of each phase spent compiling is measured,
/// not guessed.
/// </summary>
public static class StartupTrace
{
    public const string Variable = "OAUTH_STARTUP_TRACE";

    public const string Prefix = "startup-trace ";

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable) == "1";

    public static void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        var now = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        var jit = (long)JitInfo.GetCompilationTime(currentThread: false).TotalMicroseconds;
        var methods = JitInfo.GetCompiledMethodCount(currentThread: false);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{phase} {now} {jit} {methods}"));
    }
}
