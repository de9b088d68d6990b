using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OAuthFunctions.Hosting;

namespace OAuthFunctions.LocalHost;

/// <summary>
/// Azurite's Table service (npm package <c>azurite</c>, pinned in the repository's package.json), started as a
/// child process: the local host's embedded default storage and the tests' storage. Installs the npm package
/// into the repository on first use.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AzuriteProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}/devstoreaccount1");

    /// <summary>
    /// Starts Azurite on <paramref name="port"/>. With <paramref name="accountKey"/>, the emulator's account gets
    /// that key (AZURITE_ACCOUNTS) instead of the emulator's well-known one. With <paramref name="dataDirectory"/>
    /// data survives restarts; without it everything is in memory.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, int port, string? accountKey, string? dataDirectory, CancellationToken cancellationToken)
    {
        var script = await EnsureInstalledAsync(repositoryRoot, cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--tableHost");
        start.ArgumentList.Add("127.0.0.1");
        start.ArgumentList.Add("--tablePort");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--skipApiVersionCheck");
        start.ArgumentList.Add("--disableProductStyleUrl");
        if (dataDirectory is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataDirectory);
        }

        if (accountKey is not null)
        {
            start.Environment["AZURITE_ACCOUNTS"] = $"devstoreaccount1:{accountKey}";
        }

        var process = StartOrExplain(start, "Node.js runs Azurite, the local storage emulator");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, port);
        try
        {
            await WaitForPortAsync(port, process, cancellationToken);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        return azurite;
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The repository root: the nearest directory up from <paramref name="start"/> with OAuthFunctions.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OAuthFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    /// <summary>Runs <c>npm ci</c> once if the package is missing; concurrent test processes wait on a lock file.</summary>
    private static async Task<string> EnsureInstalledAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (File.Exists(script))
        {
            return script;
        }

        await using var gate = await AcquireLockAsync(Path.Combine(repositoryRoot, "node_modules.lock"), cancellationToken);
        if (!File.Exists(script))
        {
            var npm = new ProcessStartInfo("npm") { WorkingDirectory = repositoryRoot, UseShellExecute = false };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            {
                npm.ArgumentList.Add(argument);
            }

            using var install = StartOrExplain(npm, "npm installs Azurite, the local storage emulator");
            await install.WaitForExitAsync(cancellationToken);
            if (install.ExitCode != 0 || !File.Exists(script))
            {
                throw new StartupException($"'npm ci' in {repositoryRoot} did not install Azurite (exit code {install.ExitCode}): run it there to see why.");
            }
        }

        return script;
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    /// <summary>Starts a tool, or says in one line which tool is missing and what it is for.</summary>
    private static Process StartOrExplain(ProcessStartInfo start, string purpose)
    {
        try
        {
            return Process.Start(start) ?? throw new StartupException($"Could not start {start.FileName}: {purpose}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new StartupException($"{start.FileName} was not found: {purpose}. Install Node.js (https://nodejs.org), or set OAuthStorage to a running storage emulator or account.", ex);
        }
    }

    private static async Task WaitForPortAsync(int port, Process process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!IsListening(port))
        {
            if (process.HasExited)
            {
                throw new StartupException($"Azurite exited with code {process.ExitCode} before listening on port {port}: run 'npx azurite-table' in the repository to see why, or set OAuthStorage to a running storage emulator or account.");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new StartupException($"Azurite did not listen on port {port} within 60 seconds.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
