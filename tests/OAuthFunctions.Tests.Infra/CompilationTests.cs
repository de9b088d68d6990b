namespace OAuthFunctions.Tests.Infra;

/// <summary>docs/BEHAVIOUR.md §9: the Bicep compiles and lints clean with the pinned Bicep CLI.</summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class CompilationTests(CompiledTemplate compiled)
{
    public static TheoryData<string> Modules()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Combine("infra", "modules"), "*.bicep").Order(StringComparer.Ordinal))
        {
            data.Add($"infra/modules/{Path.GetFileName(file)}");
        }

        return data;
    }

    [Fact]
    public void Main_template_compiles_without_warnings()
    {
        var build = compiled.Build;

        Assert.True(build.ExitCode == 0 && build.StandardError.Length == 0, build.Describe());
    }

    [Fact]
    public void Parameters_file_compiles_without_warnings()
    {
        var build = compiled.BuildParameters;

        Assert.True(build.ExitCode == 0 && build.StandardError.Length == 0, build.Describe());
    }

    [Theory]
    [InlineData("infra/main.bicep")]
    [InlineData("infra/main.bicepparam")]
    public void Linter_reports_nothing(string file)
    {
        var lint = BicepCli.Run("lint", file);

        Assert.True(lint.ExitCode == 0 && lint.StandardOutput.Length == 0 && lint.StandardError.Length == 0, lint.Describe());
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void Module_lints_clean_on_its_own(string file)
    {
        var lint = BicepCli.Run("lint", file);

        Assert.True(lint.ExitCode == 0 && lint.StandardOutput.Length == 0 && lint.StandardError.Length == 0, lint.Describe());
    }

    [Theory]
    [InlineData("environmentName")]
    [InlineData("deployerPrincipalId")]
    [InlineData("deployerPrincipalType")]
    public void Parameters_file_sets_the_azd_environment_values(string parameter)
    {
        Assert.True(
            compiled.Parameters.GetProperty("parameters").TryGetProperty(parameter, out _),
            $"infra/main.bicepparam should set {parameter} from the azd environment (readEnvironmentVariable).");
    }

    [Fact]
    public void Every_parameter_of_main_is_documented()
    {
        var undocumented = compiled.Root.GetProperty("parameters").EnumerateObject()
            .Where(p => !p.Value.TryGetProperty("metadata", out var metadata) || !metadata.TryGetProperty("description", out _))
            .Select(p => p.Name)
            .ToList();

        Assert.True(undocumented.Count == 0, $"Parameters without @description: {string.Join(", ", undocumented)}");
    }
}
