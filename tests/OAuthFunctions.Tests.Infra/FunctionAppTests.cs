namespace OAuthFunctions.Tests.Infra;

/// <summary>The Flex Consumption plan and the function app: HTTPS and TLS 1.2 only, no basic auth, .NET 10 isolated, the UAMI.</summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class FunctionAppTests(CompiledTemplate compiled)
{
    private ArmResource App => compiled.Single("Microsoft.Web/sites");

    [Fact]
    public void Plan_is_Flex_Consumption_on_Linux()
    {
        var plan = compiled.Single("Microsoft.Web/serverfarms");
        var sku = plan.Body.GetProperty("sku");

        Assert.Equal("FC1", sku.GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", sku.GetProperty("tier").GetString());
        Assert.Equal("functionapp", plan.Body.GetProperty("kind").GetString());
        Assert.True(plan.Property("reserved").GetBoolean(), "A Flex Consumption plan is Linux: reserved must be true.");
    }

    [Fact]
    public void App_is_a_Linux_function_app()
    {
        Assert.Equal("functionapp,linux", App.Body.GetProperty("kind").GetString());
    }

    [Fact]
    public void App_accepts_only_https()
    {
        Assert.True(App.Property("httpsOnly").GetBoolean(), "httpsOnly must be true.");
    }

    [Fact]
    public void App_and_its_scm_site_require_TLS_1_2()
    {
        Assert.Equal("1.2", App.Property("siteConfig.minTlsVersion").GetString());
        Assert.Equal("1.2", App.Property("siteConfig.scmMinTlsVersion").GetString());
    }

    [Fact]
    public void FTP_is_disabled()
    {
        Assert.Equal("Disabled", App.Property("siteConfig.ftpsState").GetString());
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void Basic_publishing_credentials_are_disabled(string policy)
    {
        var policies = compiled.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .Where(p => p.Name.EndsWith($"'{policy}')]", StringComparison.Ordinal))
            .ToList();

        var single = Assert.Single(policies);
        Assert.False(single.Property("allow").GetBoolean(), $"basicPublishingCredentialsPolicies/{policy} must have allow: false.");
    }

    [Fact]
    public void Runtime_is_dotnet_isolated_10_in_functionAppConfig()
    {
        var runtime = App.Property("functionAppConfig.runtime");

        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("maximumInstanceCount", "maximumInstanceCount", 100)]
    [InlineData("instanceMemoryMB", "instanceMemoryMB", 2048)]
    public void Scale_comes_from_a_parameter_with_its_default(string property, string parameter, int defaultValue)
    {
        Assert.Equal($"[parameters('{parameter}')]", App.Property($"functionAppConfig.scaleAndConcurrency.{property}").GetString());
        Assert.Equal($"[parameters('{parameter}')]", compiled.Module("functionapp").Argument(parameter).GetString());
        Assert.Equal(defaultValue, compiled.MainParameter(parameter).GetProperty("defaultValue").GetInt32());
    }

    /// <summary>docs/DEPLOY.md: always-ready instances cost money every hour, so none unless asked for.</summary>
    [Fact]
    public void Always_ready_instances_default_to_none()
    {
        var parameter = compiled.MainParameter("alwaysReady");

        Assert.Equal(0, parameter.GetProperty("defaultValue").GetInt32());
        Assert.Equal(0, parameter.GetProperty("minValue").GetInt32());
        Assert.Equal("[parameters('alwaysReady')]", compiled.Module("functionapp").Argument("alwaysReady").GetString());
    }

    /// <summary>The parameter becomes one always-ready group for the HTTP functions, and no group at all when it is 0.</summary>
    [Fact]
    public void Always_ready_keeps_that_many_instances_for_the_http_functions()
    {
        Assert.Equal(
            "[if(greater(parameters('alwaysReady'), 0), createArray(createObject('name', 'http', 'instanceCount', parameters('alwaysReady'))), createArray())]",
            App.Property("functionAppConfig.scaleAndConcurrency.alwaysReady").GetString());
    }

    [Fact]
    public void App_runs_as_the_user_assigned_identity_only()
    {
        var identity = App.Body.GetProperty("identity");

        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        Assert.Equal("[format('{0}', parameters('identityId'))]", Assert.Single(identity.GetProperty("userAssignedIdentities").EnumerateObject()).Name);
        Assert.Contains("outputs.id.value", compiled.Module("functionapp").Argument("identityId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_package_is_read_with_the_user_assigned_identity()
    {
        var authentication = App.Property("functionAppConfig.deployment.storage.authentication");

        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
        Assert.Equal("[parameters('identityId')]", authentication.GetProperty("userAssignedIdentityResourceId").GetString());
    }

    [Fact]
    public void App_is_tagged_for_the_azd_service_api()
    {
        Assert.Contains("'azd-service-name', parameters('azdServiceName')", App.Body.GetProperty("tags").GetString(), StringComparison.Ordinal);
        Assert.Equal("api", compiled.Module("functionapp").Argument("azdServiceName").GetString());
    }

    /// <summary>
    /// docs/BEHAVIOUR.md §12: the app decides CORS per client and per endpoint. The platform's CORS (siteConfig.cors,
    /// or the sites/config resource "web" that holds it) would answer every route for the origins listed, the pages and
    /// introspection included, and would take the preflights away from the app.
    /// </summary>
    [Fact]
    public void Platform_cors_is_not_set_so_the_app_decides()
    {
        Assert.False(App.Property("siteConfig").TryGetProperty("cors", out _), "siteConfig must not set cors.");
        Assert.All(compiled.OfType("Microsoft.Web/sites/config"), config => Assert.DoesNotContain("web", config.Name, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("\"cors\"", compiled.Text, StringComparison.OrdinalIgnoreCase);
    }
}
