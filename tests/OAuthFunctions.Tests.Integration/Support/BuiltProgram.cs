using System.Diagnostics;
using OAuthFunctions.LocalHost;

namespace OAuthFunctions.Tests.Integration.Support;

/// <summary>
/// A program of the solution run as a person runs it: <c>dotnet &lt;its built dll&gt;</c> in a child process, with its
/// own arguments and environment (the test process's <c>OAuth*</c> and <c>Logging*</c> settings are not passed on).
/// </summary>
internal static class BuiltProgram
{
    public static string LocalHost => Path.Combine(Output("OAuthFunctions.LocalHost"), "OAuthFunctions.LocalHost.dll");

    public static string Cli => Path.Combine(Output("OAuthFunctions.Cli"), "OAuthFunctions.Cli.dll");

    public static string FunctionsApp => Path.Combine(Output("OAuthFunctions"), "OAuthFunctions.dll");

    public static string RepositoryRoot => AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!;

    /// <summary>Runs <paramref name="dll"/> to its exit (killed after <paramref name="timeout"/>).</summary>
    public static async Task<ProgramResult> RunAsync(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        Assert.True(File.Exists(dll), $"{dll} not found; build the solution first.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("OAuth", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Logging", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(dll)} {string.Join(' ', start.ArgumentList.Skip(1))} did not exit in time. stderr: {await stderr}");
        }

        return new ProgramResult(process.ExitCode, await stdout, await stderr);
    }

    private static string Output(string project)
    {
#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        return Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, "net10.0");
    }
}

/// <summary>What a child process printed, and how it ended.</summary>
internal sealed record ProgramResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The non-empty lines of stderr.</summary>
    public IReadOnlyList<string> ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
