using System.Text.RegularExpressions;

namespace OAuthFunctions.Tests.Infra;

/// <summary>azure.yaml and docs/DEPLOY.md agree with the template.</summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed partial class DeploymentGuideTests(CompiledTemplate compiled)
{
    private static readonly Lazy<string> Guide = new(() => File.ReadAllText(RepositoryRoot.Combine("docs", "DEPLOY.md")));
    private static readonly Lazy<string> AzureYaml = new(() => File.ReadAllText(RepositoryRoot.Combine("azure.yaml")));

    [Fact]
    public void Guide_lists_every_parameter_of_main()
    {
        var missing = compiled.Root.GetProperty("parameters").EnumerateObject()
            .Select(p => p.Name)
            .Where(name => !Guide.Value.Contains($"`{name}`", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, $"docs/DEPLOY.md does not list the parameters {string.Join(", ", missing)}.");
    }

    [Fact]
    public void Azd_deploys_the_functions_project_to_the_service_api()
    {
        var service = AzdService().Match(AzureYaml.Value);

        Assert.True(service.Success, "azure.yaml should declare the service 'api' (the app's azd-service-name tag).");
        Assert.Equal("./src/OAuthFunctions", service.Groups["project"].Value);
        Assert.Equal("dotnet", service.Groups["language"].Value);
        Assert.Equal("function", service.Groups["host"].Value);
    }

    [Fact]
    public void Azd_provisions_infra_main()
    {
        Assert.Matches(@"(?m)^infra:\s*\n(\s+\S.*\n)*?\s+path:\s*infra\s*$", AzureYaml.Value);
    }

    [GeneratedRegex(@"(?m)^services:\s*\n\s+api:\s*\n\s+project:\s*(?<project>\S+)\s*\n\s+language:\s*(?<language>\S+)\s*\n\s+host:\s*(?<host>\S+)")]
    private static partial Regex AzdService();
}
