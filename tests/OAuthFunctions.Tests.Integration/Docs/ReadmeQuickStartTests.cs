using System.Diagnostics;
using System.Text.RegularExpressions;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Docs;

/// <summary>
/// The README's quick start is a script a person pastes whole; this runs it, as written, against a fresh local host, so
/// the README cannot drift. The script is every fenced block marked <c>```bash quickstart</c>; after each command its
/// output is written as <c>#&gt; </c> lines, where <c>…</c> stands for ids, secrets and tokens. The run must succeed
/// (bash -euo pipefail, so every step must) and print exactly those lines, in that order.
/// </summary>
public sealed partial class ReadmeQuickStartTests
{
    private const string DocumentedBase = "http://127.0.0.1:7071";

    [Fact]
    public void Readme_has_a_quick_start_script_with_its_output()
    {
        var script = QuickStart();

        Assert.Contains("--output env", script, StringComparison.Ordinal);
        Assert.NotEmpty(ExpectedOutput(script));
    }

    [Fact]
    public void Readme_shows_no_real_secret_or_token()
    {
        // Secrets and tokens are 43 or more base64url characters; the README shortens them to "…".
        var readme = File.ReadAllText(Path.Combine(BuiltProgram.RepositoryRoot, "README.md"));

        Assert.DoesNotMatch(LongToken(), readme);
    }

    [Fact]
    public async Task Quick_start_runs_as_written_and_prints_what_the_readme_shows()
    {
        RequireTools("bash", "curl", "openssl", "sed", "tr");
        await using var server = await OAuthTestServer.StartAsync();
        var scriptFile = Path.Combine(Path.GetTempPath(), $"quickstart-{Guid.NewGuid():N}.sh");
        var tools = Directory.CreateTempSubdirectory("quickstart-bin-");
        try
        {
            var script = QuickStart();
            await File.WriteAllTextAsync(scriptFile, script);

            // The block uses an installed oauthctl when there is one: here, the CLI this build produced, started directly
            // instead of through `dotnet run` (the same program, without a build check per command).
            var oauthctl = Path.Combine(tools.FullName, "oauthctl");
            await File.WriteAllTextAsync(oauthctl, $"#!/bin/sh\nexec dotnet '{BuiltProgram.Cli}' \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(oauthctl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var baseUrl = server.BaseAddress.ToString().TrimEnd('/');
            var result = await RunBashAsync(scriptFile, new Dictionary<string, string?>
            {
                ["BASE"] = baseUrl,
                ["OAuthStorage"] = await SharedAzurite.ConnectionStringAsync(),
                ["OAuth__TablePrefix"] = server.TablePrefix,
                ["PATH"] = tools.FullName + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            });

            Assert.True(result.ExitCode == 0, result.ToString());
            var printed = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToList();
            var expected = ExpectedOutput(script).Select(line => line.Replace(DocumentedBase, baseUrl, StringComparison.Ordinal)).ToList();
            Assert.True(printed.Count == expected.Count, $"The README shows {expected.Count} lines of output; the run printed {printed.Count}:\n{result.Stdout}");
            foreach (var (shown, actual) in expected.Zip(printed))
            {
                Assert.Matches(Pattern(shown), actual);
            }
        }
        finally
        {
            File.Delete(scriptFile);
            tools.Delete(recursive: true);
        }
    }

    /// <summary>The fenced blocks marked <c>```bash quickstart</c>, joined.</summary>
    private static string QuickStart()
    {
        var readme = File.ReadAllText(Path.Combine(BuiltProgram.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var blocks = QuickStartBlock().Matches(readme).Select(m => m.Groups["script"].Value).ToList();
        Assert.True(blocks.Count > 0, "README.md has no ```bash quickstart block.");
        return string.Join("\n", blocks);
    }

    /// <summary>The <c>#&gt; </c> lines: what the commands print.</summary>
    private static List<string> ExpectedOutput(string script) =>
        [.. script.Split('\n').Where(line => line.StartsWith("#> ", StringComparison.Ordinal)).Select(line => line[3..])];

    /// <summary>A shown line as a pattern: literal, except that "…" stands for any text.</summary>
    private static string Pattern(string shown) =>
        "^" + string.Join(".+?", shown.Split('…').Select(Regex.Escape)) + "$";

    private static async Task<ProgramResult> RunBashAsync(string scriptFile, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = BuiltProgram.RepositoryRoot,
        };
        foreach (var argument in new[] { "-euo", "pipefail", scriptFile })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("OAuth", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await bash.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            Assert.Fail($"The quick start did not finish in time.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }

        return new ProgramResult(bash.ExitCode, await stdout, await stderr);
    }

    private static void RequireTools(params string[] tools)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator);
        var missing = tools.Where(tool => !path.Any(directory => File.Exists(Path.Combine(directory, tool)))).ToList();
        Assert.True(missing.Count == 0, $"The README's quick start needs {string.Join(", ", missing)} (.ci/run installs them).");
    }

    [GeneratedRegex(@"^```bash quickstart\n(?<script>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex QuickStartBlock();

    [GeneratedRegex(@"[A-Za-z0-9_-]{43,}")]
    private static partial Regex LongToken();
}
