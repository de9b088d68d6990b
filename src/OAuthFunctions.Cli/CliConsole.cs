using Microsoft.Extensions.Logging;

namespace OAuthFunctions.Cli;

/// <summary>
/// Where the CLI reads passwords from and writes results, errors and its audit log to; tests pass their own.
/// <see cref="Log"/> receives the security events of every change (stderr as JSON lines when null).
/// </summary>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error)
{
    public static CliConsole System { get; } = new(Console.In, Console.Out, Console.Error);

    public ILoggerProvider? Log { get; init; }
}
