using System.Text.RegularExpressions;
using OAuthFunctions.LocalHost;

namespace OAuthFunctions.Tests.Consuming;

/// <summary>docs/CONSUMING.md promises that a test runs each sample: the tests and samples it names exist.</summary>
public sealed partial class ConsumingGuideTests
{
    private static readonly string Root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!;

    [Fact]
    public void Every_test_the_guide_names_exists()
    {
        var guide = File.ReadAllText(Path.Combine(Root, "docs", "CONSUMING.md"));
        var tests = string.Join('\n', Directory.EnumerateFiles(Path.Combine(Root, "tests"), "*Tests.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

        var named = TestName().Matches(guide).Select(m => m.Groups["method"].Value).ToList();

        Assert.NotEmpty(named);
        Assert.All(named, method => Assert.Contains($" {method}(", tests, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_sample_the_guide_names_exists_and_is_in_the_solution()
    {
        var guide = File.ReadAllText(Path.Combine(Root, "docs", "CONSUMING.md"));
        var solution = File.ReadAllText(Path.Combine(Root, "OAuthFunctions.sln"));

        var samples = Sample().Matches(guide).Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.Equal(["NativeClient", "NotesApi", "NotesFunctions", "ServiceClient"], samples.Order(StringComparer.Ordinal));
        Assert.All(samples, name => Assert.Contains($"samples\\{name}\\{name}.csproj", solution, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"`(?:[A-Z][A-Za-z]+Tests\.)?(?<method>[A-Z][a-z]+(?:_[A-Za-z0-9]+){2,})`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"samples/(?<name>[A-Z][A-Za-z]+)")]
    private static partial Regex Sample();
}
