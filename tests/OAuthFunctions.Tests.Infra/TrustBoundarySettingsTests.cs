namespace OAuthFunctions.Tests.Infra;

/// <summary>
/// The deployment's trust boundary: no X-Forwarded-* entry is believed beyond what the platform already applied
/// (docs/ARCHITECTURE.md, "Who the client is"), and the Functions host buffers no body larger than 1 MiB.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class TrustBoundarySettingsTests(CompiledTemplate compiled)
{
    private ArmResource Settings => compiled.OfType("Microsoft.Web/sites/config")
        .Single(c => c.Name.EndsWith("'appsettings')]", StringComparison.Ordinal));

    [Fact]
    public void Forwarded_hops_default_to_zero_on_azure()
    {
        Assert.Equal(0, compiled.MainParameter("forwardedHops").GetProperty("defaultValue").GetInt32());
        Assert.Equal("[string(parameters('oauth').forwardedHops)]", Settings.Properties.GetProperty("OAuth__ForwardedHops").GetString());
        Assert.Equal("[parameters('forwardedHops')]", compiled.Module("functionapp").Argument("oauth").GetProperty("forwardedHops").GetString());
    }

    [Fact]
    public void Functions_host_reads_at_most_1_MiB_of_a_body()
    {
        Assert.Equal("1048576", Settings.Properties.GetProperty("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT").GetString());
    }
}
