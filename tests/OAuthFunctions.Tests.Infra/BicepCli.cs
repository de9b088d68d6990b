using System.Diagnostics;
using System.Reflection;

namespace OAuthFunctions.Tests.Infra;

/// <summary>The outcome of one run of the Bicep CLI.</summary>
internal sealed record BicepResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the CLI printed, for assertion messages.</summary>
    public string Describe() =>
        $"`bicep {Command}` exited with {ExitCode}.{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>
/// Runs the Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package the test project restores (its path is
/// embedded at build time as assembly metadata), so the tests need neither a network nor an installed CLI.
/// BICEP_PATH overrides it, e.g. on a machine that is not linux-x64.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<string> ExecutablePath = new(FindExecutable);

    public static BicepResult Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath.Value)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // No telemetry and no update checks: the tests run offline.
        startInfo.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {ExecutablePath.Value}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RunTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`bicep {string.Join(' ', arguments)}` did not finish within {RunTimeout}.");
        }

        return new BicepResult(
            string.Join(' ', arguments),
            process.ExitCode,
            standardOutput.GetAwaiter().GetResult().Trim(),
            standardError.GetAwaiter().GetResult().Trim());
    }

    private static string FindExecutable()
    {
        var overridden = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }

        var packagePath = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPackagePath")?.Value;
        if (string.IsNullOrEmpty(packagePath))
        {
            throw new InvalidOperationException("The test assembly has no BicepPackagePath metadata: restore the Azure.Bicep.CommandLine.linux-x64 package (GeneratePathProperty).");
        }

        var executable = Path.Combine(packagePath, "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"The Bicep CLI is not at {executable}; set BICEP_PATH on platforms other than linux-x64.");
        }

        EnsureExecutable(executable);
        return executable;
    }

    // NuGet extracts package files without their Unix execute bits.
    private static void EnsureExecutable(string executable)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var mode = File.GetUnixFileMode(executable);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(executable, mode | Execute);
        }
    }
}
