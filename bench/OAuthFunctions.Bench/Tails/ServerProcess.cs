using System.Diagnostics;
using OAuthFunctions.Hosting;
using OAuthFunctions.LocalHost;

namespace OAuthFunctions.Bench.Tails;

/// <summary>The published local host as a process of its own, with chosen runtime settings, against running storage.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>CPU time the process has used so far, all threads.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(string assembly, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var port = AzuriteProcess.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment[StartupTrace.Variable] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(StartupTrace.Prefix + "listening ", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        if (await Task.WhenAny(listening.Task, process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromSeconds(60), cancellationToken)) != listening.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("The local host did not start listening within 60 s.");
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }
}
