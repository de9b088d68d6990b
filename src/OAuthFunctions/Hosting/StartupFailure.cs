using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Hosting;

/// <summary>
/// What a host prints when it cannot start (docs/BEHAVIOUR.md §9): one line on stderr that names the problem and the
/// fix, then exit code 1. The stack trace follows only when asked for (<c>--verbose</c>, or
/// <c>Logging__LogLevel__Default=Debug</c>): a bad setting or a busy port is not a crash.
/// </summary>
public static partial class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>The command-line switch that asks for stack traces.</summary>
    public const string VerboseSwitch = "--verbose";

    /// <summary>The one line for <paramref name="exception"/>, starting with <c>error:</c>.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return "error: " + (exception switch
        {
            // The message names the setting and what it expects, never the value (OAuthConfigurationException.Invalid).
            OAuthConfigurationException or StartupException => exception.Message,
            IOException { InnerException: AddressInUseException } => PortInUse(exception.Message),
            StorageUnavailableException => "storage is unreachable, so the tables could not be created: start the storage emulator, or set OAuthStorage to a running emulator or account.",
            _ => $"{exception.GetType().Name}: {exception.Message} (run with {VerboseSwitch} for the stack trace)",
        }).ReplaceLineEndings(" ");
    }

    /// <summary>
    /// Whether the stack trace is wanted: <c>--verbose</c> among <paramref name="args"/>, or the default log level
    /// <c>Debug</c> or <c>Trace</c> in <paramref name="configuration"/>.
    /// </summary>
    public static bool Verbose(IReadOnlyCollection<string> args, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        return args.Contains(VerboseSwitch, StringComparer.Ordinal)
            || configuration["Logging:LogLevel:Default"] is { } level
                && (level.Equals("Debug", StringComparison.OrdinalIgnoreCase) || level.Equals("Trace", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Writes the line, and the exception when <paramref name="verbose"/>; returns the exit code.</summary>
    public static int Report(Exception exception, bool verbose, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine(Describe(exception));
        if (verbose)
        {
            error.WriteLine(exception);
        }

        return ExitCode;
    }

    /// <summary>Kestrel says "Failed to bind to address http://127.0.0.1:7071: address already in use."</summary>
    private static string PortInUse(string message)
    {
        var address = BoundAddress().Match(message) is { Success: true } match && Uri.TryCreate(match.Groups["url"].Value, UriKind.Absolute, out var uri)
            ? uri
            : null;
        var port = address is null ? "the port" : $"port {address.Port}";
        return $"{port} is already in use{(address is null ? string.Empty : $" ({address.Host})")}: stop what listens there, or choose another port with --urls http://127.0.0.1:PORT.";
    }

    [GeneratedRegex(@"address (?<url>\S+):\s")]
    private static partial Regex BoundAddress();
}
