namespace OAuthFunctions.Tests.Infra;

/// <summary>Workspace-based Application Insights that accepts only Microsoft Entra authenticated telemetry.</summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class MonitoringTests(CompiledTemplate compiled)
{
    private ArmResource Insights => compiled.Single("Microsoft.Insights/components");

    [Fact]
    public void Application_Insights_disables_local_authentication()
    {
        Assert.True(Insights.Property("DisableLocalAuth").GetBoolean(), "DisableLocalAuth must be true: no instrumentation-key ingestion.");
    }

    [Fact]
    public void Application_Insights_is_workspace_based()
    {
        var workspace = compiled.Single("Microsoft.OperationalInsights/workspaces");

        Assert.Equal("LogAnalytics", Insights.Property("IngestionMode").GetString());
        Assert.Contains("Microsoft.OperationalInsights/workspaces", Insights.Property("WorkspaceResourceId").GetString(), StringComparison.Ordinal);
        Assert.Equal(workspace.Module, Insights.Module);
    }

    [Fact]
    public void Log_Analytics_disables_local_authentication()
    {
        Assert.True(compiled.Single("Microsoft.OperationalInsights/workspaces").Property("features.disableLocalAuth").GetBoolean());
    }
}
