using System.CommandLine;
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

    public static readonly Option<string?> StorageOption = new("--storage")
    {
        Description = "Storage connection string (default: the OAuthStorage environment variable, else UseDevelopmentStorage=true).",
        Recursive = true,
    };

    public static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print results as JSON.",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, CliConsole console, IReadOnlyDictionary<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("Administers an OAuthFunctions server: tables, clients, users, tokens, purge and signing keys.")
        {
            StorageOption,
            JsonOption,
        };
        var handlers = new CommandHandlers(console, environment);
        root.Add(InitCommand.Create(handlers));
        root.Add(ClientsCommand.Create(handlers));
        root.Add(UsersCommand.Create(handlers));
        root.Add(TokensCommand.Create(handlers));
        root.Add(PurgeCommand.Create(handlers));
        root.Add(KeysCommand.Create(handlers));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Scripts get one line on stderr and nothing on stdout; people can ask for --help.
            await console.Error.WriteLineAsync("error: " + string.Join("; ", parse.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Replace('\t', ' '))) + " (see --help)");
            return UsageError;
        }

        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        });
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
                    await body(runtime, parse, cancellationToken);
                    return 0;
                }
                catch (Exception ex) when (ex is CliException or OAuthConfigurationException)
                {
                    await console.Error.WriteLineAsync("error: " + ex.Message);
                    return ex is CliException cli ? cli.ExitCode : 1;
                }
                catch (StorageUnavailableException)
                {
                    await console.Error.WriteLineAsync("error: storage is unreachable; check --storage / OAuthStorage and that the account or emulator is running.");
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
                    return 1;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Whatever else: one line, never a stack trace.
                    await console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
                    return 1;
                }
            };
    }
}
