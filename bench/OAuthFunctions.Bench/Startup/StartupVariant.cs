using System.Diagnostics;
using System.Runtime.InteropServices;
using OAuthFunctions.Bench.Reporting;

namespace OAuthFunctions.Bench.Startup;

/// <summary>
/// One way of starting a server: the bare ASP.NET Core app (the floor), or the local host published without or with
/// ReadyToRun, framework-dependent for this machine's runtime identifier, as <c>dotnet publish</c> makes it for a
/// deployment. Optional environment variables apply to the started process only.
/// </summary>
internal sealed record StartupVariant(string Name, string Project, bool ReadyToRun, IReadOnlyDictionary<string, string> Environment)
{
    public const string BareProject = "bench/OAuthFunctions.Bench.BareApp/OAuthFunctions.Bench.BareApp.csproj";
    public const string LocalHostProject = "src/OAuthFunctions.LocalHost/OAuthFunctions.LocalHost.csproj";

    public bool IsBare => Project == BareProject;

    public string Directory { get; private set; } = string.Empty;

    public string Assembly => Path.Combine(Directory, Path.GetFileNameWithoutExtension(Project) + ".dll");

    /// <summary><c>bare</c>, <c>jit</c> or <c>r2r</c>, then <c>+NAME=VALUE</c> pairs.</summary>
    public static StartupVariant Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var parts = spec.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var environment = parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        return parts[0] switch
        {
            "bare" => new StartupVariant(spec, BareProject, ReadyToRun: false, environment),
            "jit" => new StartupVariant(spec, LocalHostProject, ReadyToRun: false, environment),
            "r2r" => new StartupVariant(spec, LocalHostProject, ReadyToRun: true, environment),
            _ => throw new ArgumentException($"Unknown variant '{parts[0]}': use bare, jit or r2r (+NAME=VALUE ...).", nameof(spec)),
        };
    }

    /// <summary>Publishes the project into a directory of its own under the temporary directory (once per build kind).</summary>
    public async Task PublishAsync(string repositoryRoot, string workDirectory, CancellationToken cancellationToken)
    {
        var kind = $"{Path.GetFileNameWithoutExtension(Project)}-{(ReadyToRun ? "r2r" : "jit")}";
        Directory = Path.Combine(workDirectory, kind);
        if (File.Exists(Assembly))
        {
            return;
        }

        BenchReport.Progress($"startup: publishing {kind}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repositoryRoot, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            "publish", Project, "-c", "Release", "-o", Directory, "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false",
            $"-p:PublishReadyToRun={(ReadyToRun ? "true" : "false")}", "-nologo", "-v", "q",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var publish = Process.Start(start) ?? throw new InvalidOperationException("Could not run dotnet publish.");
        var output = await publish.StandardOutput.ReadToEndAsync(cancellationToken);
        await publish.WaitForExitAsync(cancellationToken);
        if (publish.ExitCode != 0 || !File.Exists(Assembly))
        {
            throw new InvalidOperationException($"dotnet publish {Project} failed ({publish.ExitCode}):{System.Environment.NewLine}{output}");
        }
    }
}
