using System.Text.Json;
using System.Text.RegularExpressions;
using OAuthFunctions.Core.Configuration;

namespace OAuthFunctions.Tests.Infra;

/// <summary>
/// The app settings: every setting the code reads (OAuthOptions.SettingNames), storage and telemetry through the
/// managed identity, and no key, SAS or list*() call anywhere.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed partial class AppSettingsTests(CompiledTemplate compiled)
{
    private ArmResource SettingsResource => compiled.OfType("Microsoft.Web/sites/config")
        .Single(c => c.Name.EndsWith("'appsettings')]", StringComparison.Ordinal));

    private Dictionary<string, string> Settings
    {
        get
        {
            var properties = SettingsResource.Properties;
            Assert.True(properties.ValueKind == JsonValueKind.Object, "The appsettings properties should be an object literal, so that every setting can be checked.");
            return properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }
    }

    public static TheoryData<string> SettingNames() => [.. OAuthOptions.SettingNames];

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Every_setting_the_code_reads_is_an_app_setting(string name)
    {
        Assert.True(Settings.ContainsKey($"OAuth__{name}"), $"OAuth__{name} (OAuthOptions.SettingNames) is missing from the app settings in infra/modules/functionapp.bicep.");
    }

    [Fact]
    public void Every_OAuth_app_setting_is_read_by_the_code()
    {
        var unknown = Settings.Keys
            .Where(k => k.StartsWith("OAuth__", StringComparison.Ordinal))
            .Select(k => k["OAuth__".Length..])
            .Except(OAuthOptions.SettingNames, StringComparer.Ordinal)
            .ToList();

        Assert.True(unknown.Count == 0, $"App settings the code does not read: {string.Join(", ", unknown)}");
    }

    [Theory]
    [InlineData("OAuthStorage__credential")]
    [InlineData("AzureWebJobsStorage__credential")]
    public void Storage_is_reached_with_the_managed_identity(string setting)
    {
        Assert.Equal("managedidentity", Settings.GetValueOrDefault(setting));
    }

    [Theory]
    [InlineData("OAuthStorage__clientId")]
    [InlineData("AzureWebJobsStorage__clientId")]
    public void Storage_credential_names_the_user_assigned_identity(string setting)
    {
        Assert.Equal("[parameters('identityClientId')]", Settings.GetValueOrDefault(setting));
        Assert.Contains("outputs.clientId.value", compiled.Module("functionapp").Argument("identityClientId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OAuth_tables_are_addressed_by_the_table_endpoint()
    {
        Assert.Contains("parameters('storageTableEndpoint')", Settings.GetValueOrDefault("OAuthStorage__tableServiceUri"), StringComparison.Ordinal);
        Assert.Contains("outputs.tableEndpoint.value", compiled.Module("functionapp").Argument("storageTableEndpoint").GetString(), StringComparison.Ordinal);
        Assert.Equal("[reference('storage').primaryEndpoints.table]", compiled.Module("storage").Property("template.outputs.tableEndpoint.value").GetString());
    }

    [Fact]
    public void Application_Insights_is_reached_with_the_managed_identity()
    {
        Assert.True(Settings.ContainsKey("APPLICATIONINSIGHTS_CONNECTION_STRING"), "APPLICATIONINSIGHTS_CONNECTION_STRING is missing.");
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", Settings.GetValueOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    [InlineData("AzureWebJobsStorage")]
    public void Settings_that_Flex_Consumption_rejects_or_that_carry_keys_are_absent(string setting)
    {
        Assert.False(Settings.ContainsKey(setting), $"{setting} must not be set: Flex Consumption takes the runtime from functionAppConfig and storage through the identity.");
    }

    [Theory]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessSignature")]
    [InlineData("SharedAccessKey")]
    public void No_app_setting_holds_a_key(string marker)
    {
        var offending = Settings.Where(s => s.Value.Contains(marker, StringComparison.OrdinalIgnoreCase)).Select(s => s.Key).ToList();

        Assert.True(offending.Count == 0, $"App settings containing {marker}: {string.Join(", ", offending)}");
    }

    [Fact]
    public void No_template_calls_listKeys_or_any_list_function()
    {
        var calls = ListFunctionCall().Matches(compiled.Text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();

        Assert.True(calls.Count == 0, $"The compiled template calls {string.Join(", ", calls)}: keys and SAS tokens must not be read.");
    }

    [Theory]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessSignature=")]
    [InlineData("DefaultEndpointsProtocol=")]
    public void No_connection_string_with_a_key_is_built_anywhere(string marker)
    {
        Assert.DoesNotContain(marker, compiled.Text, StringComparison.OrdinalIgnoreCase);
    }

    // listKeys, listkeys, listAccountSas, listServiceSas, list(...): any ARM list* function.
    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunctionCall();
}
