namespace OAuthFunctions.Tests.Infra;

/// <summary>The outputs azd stores in .azure/&lt;env&gt;/.env and docs/DEPLOY.md relies on.</summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class OutputsTests(CompiledTemplate compiled)
{
    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("SERVICE_API_NAME")]
    [InlineData("AZURE_MANAGED_IDENTITY_CLIENT_ID")]
    [InlineData("OAUTH_ISSUER")]
    [InlineData("OAUTH_METADATA_URL")]
    [InlineData("STORAGE_ACCOUNT_NAME")]
    [InlineData("OAUTH_TABLE_SERVICE_URI")]
    [InlineData("OAUTH_TABLE_PREFIX")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    public void Main_template_outputs(string name)
    {
        Assert.True(
            compiled.Root.GetProperty("outputs").TryGetProperty(name, out var output),
            $"main.bicep should output {name} for azd and the deployment guide.");
        Assert.Equal("string", output.GetProperty("type").GetString());
    }

    [Fact]
    public void Outputs_are_upper_snake_case()
    {
        var others = compiled.Root.GetProperty("outputs").EnumerateObject()
            .Select(o => o.Name)
            .Where(n => !n.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            .ToList();

        Assert.True(others.Count == 0, $"Outputs not in UPPER_SNAKE case (azd turns them into environment variables): {string.Join(", ", others)}");
    }

    [Fact]
    public void Issuer_output_is_the_issuer_setting()
    {
        var functionApp = compiled.Module("functionapp");
        var setting = compiled.OfType("Microsoft.Web/sites/config").Single().Properties.GetProperty("OAuth__Issuer").GetString();
        var output = compiled.Root.GetProperty("outputs").GetProperty("OAUTH_ISSUER").GetProperty("value").GetString();

        Assert.Equal(setting, functionApp.Property("template.outputs.issuer.value").GetString());
        Assert.Contains("'functionapp')", output, StringComparison.Ordinal);
        Assert.Contains("outputs.issuer.value", output, StringComparison.Ordinal);
    }
}
