using System.Text.Json;
using OAuthFunctions.Cli;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Support;

/// <summary>
/// oauthctl run in this process against a test server's tables, as an operator would run it against theirs: the
/// exit code, what it printed, and its standard output as JSON when it is JSON (for <c>--json</c>).
/// </summary>
internal sealed record InProcessCli(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The standard output as a JSON object or array; <c>default</c> (kind Undefined) when it is neither.</summary>
    public JsonElement Json
    {
        get
        {
            if (!Stdout.TrimStart().StartsWith('{') && !Stdout.TrimStart().StartsWith('['))
            {
                return default;
            }

            try
            {
                return JsonDocument.Parse(Stdout).RootElement.Clone();
            }
            catch (JsonException)
            {
                return default;
            }
        }
    }

    /// <param name="server">Whose tables the command works on.</param>
    /// <param name="args">The command line.</param>
    /// <param name="stdin">What the command reads (a password); nothing when null.</param>
    public static async Task<InProcessCli> RunAsync(OAuthTestServer server, IReadOnlyList<string> args, TextReader? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var empty = new StringReader(string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var log = new CapturingLoggerProvider();
        var environment = new Dictionary<string, string?>
        {
            ["OAuthStorage"] = await SharedAzurite.ConnectionStringAsync(),
            ["OAuth__TablePrefix"] = server.TablePrefix,
        };
        var exitCode = await OAuthCtl.RunAsync([.. args], new CliConsole(stdin ?? empty, output, error) { Log = log }, environment);
        return new InProcessCli(exitCode, output.ToString(), error.ToString());
    }
}
