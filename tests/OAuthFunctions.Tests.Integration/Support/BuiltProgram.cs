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
        using var process = Process.Start(RunningProgram.StartInfo(dll, args, environment, redirectInput: true))!;
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
            Assert.Fail($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not exit in time. stderr: {await stderr}");
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

/// <summary>A program of the solution left running in a child process: what it printed so far, and a way to stop it.</summary>
internal sealed class RunningProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private RunningProgram(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything printed on stdout and stderr so far, line by line.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static RunningProgram Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        return new RunningProgram(Process.Start(StartInfo(dll, args, environment, redirectInput: false))!);
    }

    /// <summary>
    /// <c>dotnet DLL ARGS</c> in a temporary directory, its output captured, with <paramref name="environment"/> and
    /// none of this process's own <c>OAuth*</c> and <c>Logging*</c> settings.
    /// </summary>
    internal static ProcessStartInfo StartInfo(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, bool redirectInput)
    {
        Assert.True(File.Exists(dll), $"{dll} not found; build the solution first.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
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

        return start;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails if the program exits or time runs out first.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(_process.HasExited, $"The program exited with {(_process.HasExited ? _process.ExitCode : 0)} before printing \"{text}\":\n{Output}");
            Assert.True(DateTime.UtcNow < deadline, $"The program did not print \"{text}\" in time:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Asks the program to stop as Ctrl+C or a service manager would (SIGTERM) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
