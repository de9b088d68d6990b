using System.CommandLine;
using System.CommandLine.Parsing;
using OAuthFunctions.Cli.Commands;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;

namespace OAuthFunctions.Cli;

/// <summary>
/// <c>oauthctl</c>: exit code 0 on success; otherwise non-zero with a one-line message on stderr. <c>--json</c> prints
/// machine-readable results on stdout. Storage comes from <c>--storage</c> or the <c>OAuthStorage</c> setting.
/// </summary>
public static class OAuthCtl
{
    /// <summary>Exit code for a command line that does not parse.</summary>
    public const int UsageError = 2;

    // The options every command takes are made anew for each run, like the commands: an option belongs to the command
    // it is added to, so one instance shared by the roots of concurrent runs (tests run oauthctl in-process, in
    // parallel) would be shared mutable state. Commands read them by name.
    public const string StorageOptionName = "--storage";
    public const string JsonOptionName = "--json";
    public const string OutputOptionName = "--output";
    public const string VerboseOptionName = "--verbose";

    private static Option<string?> StorageOption() => new(StorageOptionName)
    {
        Description = "Storage connection string (default: the OAuthStorage environment variable, else UseDevelopmentStorage=true).",
        Recursive = true,
    };

    public const string OutputText = "text";
    public const string OutputJson = "json";
    public const string OutputEnv = "env";

    private static Option<bool> JsonOption() => new(JsonOptionName)
    {
        Description = "Print results as JSON (the same as --output json).",
        Recursive = true,
    };

    private static Option<bool> VerboseOption() => new(VerboseOptionName)
    {
        Description = "On an unexpected failure, print the exception with its stack trace.",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, CliConsole console, IReadOnlyDictionary<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("Administers an OAuthFunctions server: tables, clients, users, tokens, purge and signing keys.")
        {
            StorageOption(),
            JsonOption(),
            OutputOption(),
            VerboseOption(),
        };
        var handlers = new CommandHandlers(console, environment);
        root.Add(InitCommand.Create(handlers));
        root.Add(ClientsCommand.Create(handlers));
        root.Add(UsersCommand.Create(handlers));
        root.Add(TokensCommand.Create(handlers));
        root.Add(PurgeCommand.Create(handlers));
        root.Add(ImportCommand.Create(handlers));
        root.Add(KeysCommand.Create(handlers));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Scripts get one line on stderr and nothing on stdout; people can ask for --help.
            await console.Error.WriteLineAsync("error: " + DescribeParseErrors(parse));
            return UsageError;
        }

        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>
    /// One line for what System.CommandLine found wrong. A command group run without its command (<c>oauthctl</c>,
    /// <c>oauthctl clients</c>) or with an unknown one names the commands it has, instead of the library's
    /// "Required command was not provided.; Unrecognized command or argument …".
    /// </summary>
    public static string DescribeParseErrors(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        var help = command is RootCommand ? "--help" : $"'{string.Join(' ', CommandPath(parse.CommandResult).Skip(1))} --help'";
        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            var names = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return parse.UnmatchedTokens.Count > 0
                ? $"unknown command '{parse.UnmatchedTokens[0]}': expected one of {names} (see {help})"
                : $"a command is required: {names} (see {help})";
        }

        return string.Join("; ", parse.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Replace('\t', ' '))) + $" (see {help})";
    }

    /// <summary>Whether a failure should show its stack trace: <c>--verbose</c>, or debug logging asked for in the environment.</summary>
    public static bool Verbose(ParseResult parse, IReadOnlyDictionary<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var level = environment is null
            ? Environment.GetEnvironmentVariable("Logging__LogLevel__Default")
            : environment.GetValueOrDefault("Logging__LogLevel__Default");
        return parse.GetValue<bool>(VerboseOptionName) || string.Equals(level, "Debug", StringComparison.OrdinalIgnoreCase) || string.Equals(level, "Trace", StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> CommandPath(SymbolResult? result) =>
        result is null ? [] : result is CommandResult command ? [.. CommandPath(command.Parent), command.Command.Name] : CommandPath(result.Parent);

    private static Option<string?> OutputOption()
    {
        var option = new Option<string?>(OutputOptionName)
        {
            Description = "text (the default), json (as --json), or env: NAME=value lines for eval \"$(oauthctl ...)\" or export.",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong(OutputText, OutputJson, OutputEnv);
        return option;
    }

    /// <summary>Runs a command body with the failure handling every command shares.</summary>
    public sealed class CommandHandlers(CliConsole console, IReadOnlyDictionary<string, string?>? environment)
    {
        public Func<ParseResult, CancellationToken, Task<int>> Run(Func<CliRuntime, ParseResult, CancellationToken, Task> body) =>
            async (parse, cancellationToken) =>
            {
                await using var runtime = new CliRuntime(console, parse, environment);
                try
                {
                    // A bad --output is refused before anything is changed.
                    CliRuntime.OutputMode(parse);
                    await body(runtime, parse, cancellationToken);
                    if (runtime.DefaultedToDevelopmentStorage)
                    {
                        await console.Error.WriteLineAsync($"note: no --storage or OAuthStorage given; used the local emulator ({CliServices.DevelopmentStorage}).");
                    }

                    return 0;
                }
                catch (Exception ex) when (ex is CliException or OAuthConfigurationException)
                {
                    await console.Error.WriteLineAsync("error: " + ex.Message.ReplaceLineEndings(" "));
                    await TraceAsync(parse, ex);
                    return ex is CliException cli ? cli.ExitCode : 1;
                }
                catch (StorageUnavailableException ex)
                {
                    var which = runtime.DefaultedToDevelopmentStorage
                        ? $"the local emulator ({CliServices.DevelopmentStorage}, as no --storage or OAuthStorage was given) is not running: start the local host or Azurite, or set --storage"
                        : "check --storage / OAuthStorage and that the account or emulator is running";
                    await console.Error.WriteLineAsync($"error: storage is unreachable; {which}.");
                    await TraceAsync(parse, ex);
                    return 1;
                }
                catch (Azure.RequestFailedException ex)
                {
                    var hint = ex.Status switch
                    {
                        404 => " (do the tables exist? run 'oauthctl init')",
                        403 => " (does this identity have the Storage Table Data Contributor role?)",
                        _ => string.Empty,
                    };
                    await console.Error.WriteLineAsync($"error: storage answered {ex.Status} {ex.ErrorCode}{hint}.");
                    await TraceAsync(parse, ex);
                    return 1;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Whatever else: one line, and the stack trace only when asked for.
                    await console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")} (--verbose shows where)");
                    await TraceAsync(parse, ex);
                    return 1;
                }
            };

        private async Task TraceAsync(ParseResult parse, Exception exception)
        {
            if (Verbose(parse, environment))
            {
                await console.Error.WriteLineAsync(exception.ToString());
            }
        }
    }
}
