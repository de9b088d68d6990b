using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using OAuthFunctions.LocalHost;

namespace OAuthFunctions.Bench.Reporting;

/// <summary>What a result was measured on: commit, runtime, machine and emulator, for the report's header.</summary>
internal sealed record BenchEnvironment(string RepositoryRoot, string Commit, bool Dirty, string Runtime, string Os, int Cores, string Azurite)
{
    public static BenchEnvironment Detect()
    {
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Run the benchmarks from inside the repository (OAuthFunctions.sln not found).");
        var commit = Git(root, "rev-parse", "HEAD") ?? "unknown";
        var dirty = !string.IsNullOrWhiteSpace(Git(root, "status", "--porcelain", "--untracked-files=no"));
        return new BenchEnvironment(
            root,
            commit,
            dirty,
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            Environment.ProcessorCount,
            AzuriteVersion(root));
    }

    public string Describe() =>
        $"commit `{Commit}`{(Dirty ? " (with uncommitted changes)" : string.Empty)}; {Runtime}, {Os}, {Cores} logical cores; " +
        $"Azurite {Azurite} (in memory, same machine); storage requests counted by a pipeline policy on the table clients.";

    /// <summary>The 1-minute load average (Linux), to tell a quiet machine from a busy one; null elsewhere.</summary>
    public static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string AzuriteVersion(string root)
    {
        var manifest = Path.Combine(root, "node_modules", "azurite", "package.json");
        if (!File.Exists(manifest))
        {
            return "(not installed yet)";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("version", out var version) ? version.GetString() ?? "?" : "?";
    }

    private static string? Git(string root, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
