using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OAuthFunctions.Core.Configuration;

namespace OAuthFunctions.Tests.Infra;

/// <summary>
/// docs/BEHAVIOUR.md §2: the deployment overrides the code's defaults with production values. Each OAuth__X app setting is
/// traced back to its main.bicep parameter, and the parameter defaults must load with OAuthOptionsLoader.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed partial class ProductionSettingsTests(CompiledTemplate compiled)
{
    // What the issuer looks like once deployed (the template derives it from the app's default host name).
    private const string SampleIssuer = "https://func-oauth-example.azurewebsites.net";

    [Theory]
    [InlineData("Scopes", "read,write")]
    [InlineData("ResponseTypes", "code")]
    [InlineData("AccessTokenLifetime", "01:00:00")]
    [InlineData("PublicAccessTokenLifetime", "01:00:00")]
    [InlineData("CodeLifetime", "00:10:00")]
    [InlineData("RefreshTokenLifetime", "30.00:00:00")]
    [InlineData("RotatedRefreshTokenRetention", "90.00:00:00")]
    [InlineData("EnforceSecure", "true")]
    [InlineData("SessionKey", "oauth")]
    [InlineData("LoginLifetime", "08:00:00")]
    [InlineData("PurgeSchedule", "0 */15 * * * *")]
    [InlineData("PurgeMaxItems", "20000")]
    [InlineData("TablePrefix", "OAuth")]
    [InlineData("Issuer", "")]
    [InlineData("ClientCacheLifetime", "00:01:00")]
    [InlineData("TemplatesPath", "")]
    [InlineData("SigningAlgorithm", "RS256")]
    [InlineData("SigningKeyLifetime", "30.00:00:00")]
    [InlineData("IdTokenLifetime", "00:10:00")]
    [InlineData("JwtAccessTokenLifetime", "00:10:00")]
    [InlineData("TokenShards", "16")]
    public void Setting_defaults_to_its_production_value(string setting, string expected)
    {
        Assert.Equal(expected, DefaultOf(setting));
    }

    [Fact]
    public void Production_defaults_are_valid_settings()
    {
        var values = OAuthOptions.SettingNames.ToDictionary<string, string, string?>(
            name => $"{OAuthOptions.SectionName}:{name}",
            name => name == nameof(OAuthOptions.Issuer) && DefaultOf(name).Length == 0 ? SampleIssuer : DefaultOf(name));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var options = OAuthOptionsLoader.Load(configuration);

        Assert.True(options.EnforceSecure);
        Assert.Equal(TimeSpan.FromHours(1), options.AccessTokenLifetime);
        Assert.Equal(TimeSpan.FromDays(30), options.RefreshTokenLifetime);
        Assert.Null(options.TemplatesPath);
    }

    [Fact]
    public void Issuer_is_the_https_default_host_name_unless_given()
    {
        var issuer = compiled.OfType("Microsoft.Web/sites/config").Single().Properties.GetProperty("OAuth__Issuer").GetString();

        Assert.Equal(
            "[if(empty(parameters('oauth').issuer), format('https://{0}', reference('app').defaultHostName), parameters('oauth').issuer)]",
            issuer);
    }

    [Fact]
    public void Table_prefix_setting_and_table_names_share_one_parameter()
    {
        Assert.Equal("tablePrefix", MainParameterOf("TablePrefix"));
    }

    // OAuth__X = "[... parameters('oauth').x ...]" in the function app module; the module receives
    // oauth.x = "[parameters('p')]" from main; p's defaultValue is the production value.
    private string MainParameterOf(string setting)
    {
        var settings = compiled.OfType("Microsoft.Web/sites/config").Single().Properties;
        Assert.True(settings.TryGetProperty($"OAuth__{setting}", out var value), $"OAuth__{setting} is not an app setting.");
        var member = OAuthMember().Match(value.GetString()!);
        Assert.True(member.Success, $"OAuth__{setting} should come from the module parameter 'oauth', not {value.GetString()}.");

        var passed = compiled.Module("functionapp").Argument("oauth").GetProperty(member.Groups["member"].Value).GetString()!;
        var parameter = MainParameterReference().Match(passed);
        Assert.True(parameter.Success, $"oauth.{member.Groups["member"].Value} should be a main.bicep parameter, not {passed}.");
        return parameter.Groups["name"].Value;
    }

    private string DefaultOf(string setting)
    {
        var parameter = compiled.MainParameter(MainParameterOf(setting));
        Assert.True(parameter.TryGetProperty("defaultValue", out var value), $"The parameter behind OAuth__{setting} has no default.");
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.GetInt64().ToString(CultureInfo.InvariantCulture),
            _ => value.GetRawText(),
        };
    }

    [GeneratedRegex(@"parameters\('oauth'\)\.(?<member>[A-Za-z]+)")]
    private static partial Regex OAuthMember();

    [GeneratedRegex(@"^\[parameters\('(?<name>[A-Za-z]+)'\)\]$")]
    private static partial Regex MainParameterReference();
}
