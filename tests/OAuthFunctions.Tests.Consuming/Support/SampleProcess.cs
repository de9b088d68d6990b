using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using OAuthFunctions.LocalHost;

namespace OAuthFunctions.Tests.Consuming.Support;

/// <summary>
/// A sample from samples/ run as its own process, as a developer would run it: its built program, settings in the
/// environment, output read line by line. Stopped (with the processes it started) when disposed.
/// </summary>
internal sealed partial class SampleProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly SemaphoreSlim _lines = new(0);

    private SampleProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => Add(_output, line.Data);
        process.ErrorDataReceived += (_, line) => Add(_errors, line.Data);
    }

    public string Output => string.Join('\n', _output);

    public string Errors => string.Join('\n', _errors);

    /// <summary>Starts samples/<paramref name="name"/> (built with the solution) with <paramref name="environment"/>.</summary>
    public static SampleProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var program = Path.Combine(root, "samples", name, "bin", Configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(program), $"{program} is missing: build the solution first.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(program)!,
        };
        start.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var sample = new SampleProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Starts an ASP.NET Core sample on a free loopback port; returns it with its address.</summary>
    public static async Task<(SampleProcess Process, Uri Address)> StartWebAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        var sample = Start(name, environment, "--urls", "http://127.0.0.1:0");
        var listening = await sample.WaitForLineAsync(line => ListeningOn().IsMatch(line));
        return (sample, new Uri(ListeningOn().Match(listening).Groups["address"].Value));
    }

    /// <summary>The first line of standard output that matches, waiting for it (fails when the process ends first).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var seen = 0;
        while (true)
        {
            var lines = _output.ToArray();
            for (; seen < lines.Length; seen++)
            {
                if (match(lines[seen]))
                {
                    return lines[seen];
                }
            }

            Assert.False(_process.HasExited && _lines.CurrentCount == 0, $"The sample exited ({ExitCodeOrNone()}) before printing the expected line.\n{Output}\n{Errors}");
            try
            {
                await _lines.WaitAsync(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The sample did not print the expected line in {Patience.TotalSeconds} s.\n{Output}\n{Errors}");
            }
        }
    }

    /// <summary>Waits for the process to end; returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        // The synchronous wait also waits for the redirected output to end, so no line arrives after this.
        await Task.Run(() => _process.WaitForExit());
        _process.Dispose();
        _lines.Dispose();
    }

    private void Add(ConcurrentQueue<string> queue, string? line)
    {
        if (line is not null)
        {
            queue.Enqueue(line);
            _lines.Release();
        }
    }

    private string ExitCodeOrNone() => _process.HasExited ? "exit code " + _process.ExitCode : "still running";

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
