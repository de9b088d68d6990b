using System.Text.RegularExpressions;

namespace OAuthFunctions.Tests.Infra;

/// <summary>The storage account: Entra ID only, TLS 1.2, no public blobs; the deployment container and the OAuth tables.</summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed partial class StorageTests(CompiledTemplate compiled)
{
    private ArmResource Account => compiled.Single("Microsoft.Storage/storageAccounts");

    [Fact]
    public void Account_is_general_purpose_v2()
    {
        Assert.Equal("StorageV2", Account.Body.GetProperty("kind").GetString());
    }

    [Fact]
    public void Shared_key_access_is_disabled()
    {
        Assert.False(Account.Property("allowSharedKeyAccess").GetBoolean(), "allowSharedKeyAccess must be false: no account keys, no SAS.");
    }

    [Fact]
    public void Entra_authentication_is_the_default()
    {
        Assert.True(Account.Property("defaultToOAuthAuthentication").GetBoolean(), "defaultToOAuthAuthentication must be true.");
    }

    [Fact]
    public void TLS_1_2_is_the_minimum()
    {
        Assert.Equal("TLS1_2", Account.Property("minimumTlsVersion").GetString());
    }

    [Fact]
    public void Only_https_is_accepted()
    {
        Assert.True(Account.Property("supportsHttpsTrafficOnly").GetBoolean(), "supportsHttpsTrafficOnly must be true.");
    }

    [Fact]
    public void Public_blob_access_is_disabled()
    {
        Assert.False(Account.Property("allowBlobPublicAccess").GetBoolean(), "allowBlobPublicAccess must be false.");
    }

    [Fact]
    public void Deployment_package_container_is_declared_private()
    {
        var container = compiled.Single("Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.Equal("None", container.Property("publicAccess").GetString());
    }

    [Fact]
    public void Function_app_deploys_from_that_container()
    {
        var storage = compiled.Single("Microsoft.Web/sites").Property("functionAppConfig.deployment.storage");
        var containerUrl = compiled.Module("storage").Property("template.outputs.deploymentContainerUrl.value").GetString();
        var passedUrl = compiled.Module("functionapp").Argument("deploymentContainerUrl").GetString();

        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.Equal("[parameters('deploymentContainerUrl')]", storage.GetProperty("value").GetString());
        Assert.Contains("parameters('deploymentContainerName')", containerUrl, StringComparison.Ordinal);
        Assert.Contains("'storage'", passedUrl, StringComparison.Ordinal);
        Assert.Contains("outputs.deploymentContainerUrl", passedUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_prefix_defaults_to_OAuth()
    {
        Assert.Equal("OAuth", compiled.MainParameter("tablePrefix").GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void The_four_OAuth_tables_are_declared_from_the_prefix()
    {
        var tables = compiled.Single("Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.Contains("parameters('tableNames')[copyIndex()]", tables.Name, StringComparison.Ordinal);
        Assert.Contains("parameters('tableNames')", tables.Body.GetProperty("copy").GetProperty("count").GetString(), StringComparison.Ordinal);

        var storageModule = compiled.Module("storage");
        var names = storageModule.ExpandVariables(storageModule.Property("parameters.tableNames.value").GetRawText());
        var suffixes = PrefixedTableName().Matches(names).Select(m => m.Groups["suffix"].Value).Order(StringComparer.Ordinal);

        Assert.Equal(["Clients", "Keys", "Tokens", "Users"], suffixes);
    }

    [GeneratedRegex(@"format\('\{0\}(?<suffix>[A-Za-z]+)', parameters\('tablePrefix'\)\)")]
    private static partial Regex PrefixedTableName();
}
