namespace OAuthFunctions.Tests.Infra;

/// <summary>
/// The app's user-assigned identity holds exactly the built-in roles it needs, each assignment named
/// guid(scope, principal, role) so that re-deployments are idempotent.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class RoleAssignmentTests(CompiledTemplate compiled)
{
    // Built-in role definition ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string KeyVaultCryptoServiceEncryptionUser = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

    private const string StorageAccounts = "Microsoft.Storage/storageAccounts";
    private const string Components = "Microsoft.Insights/components";
    private const string Vaults = "Microsoft.KeyVault/vaults";

    private IEnumerable<ArmResource> AppIdentityAssignments =>
        compiled.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => a.Property("principalType").GetString() == "ServicePrincipal");

    [Theory]
    [InlineData("Storage Blob Data Owner", StorageBlobDataOwner, StorageAccounts)]
    [InlineData("Storage Queue Data Contributor", StorageQueueDataContributor, StorageAccounts)]
    [InlineData("Storage Table Data Contributor", StorageTableDataContributor, StorageAccounts)]
    [InlineData("Monitoring Metrics Publisher", MonitoringMetricsPublisher, Components)]
    [InlineData("Key Vault Crypto Service Encryption User", KeyVaultCryptoServiceEncryptionUser, Vaults)]
    public void App_identity_holds_the_role_on_its_resource(string role, string roleId, string scopeType)
    {
        var assignment = Assignment(role, roleId);

        Assert.Contains($"resourceId('{scopeType}'", assignment.Body.GetProperty("scope").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Storage Blob Data Owner", StorageBlobDataOwner)]
    [InlineData("Storage Queue Data Contributor", StorageQueueDataContributor)]
    [InlineData("Storage Table Data Contributor", StorageTableDataContributor)]
    [InlineData("Monitoring Metrics Publisher", MonitoringMetricsPublisher)]
    [InlineData("Key Vault Crypto Service Encryption User", KeyVaultCryptoServiceEncryptionUser)]
    public void Assignment_is_named_guid_of_scope_principal_and_role(string role, string roleId)
    {
        var assignment = Assignment(role, roleId);
        var scope = Unbracket(assignment.Body.GetProperty("scope").GetString()!);
        var principal = Unbracket(assignment.Property("principalId").GetString()!);
        var roleDefinition = Unbracket(assignment.Property("roleDefinitionId").GetString()!);

        Assert.Equal($"[guid({scope}, {principal}, {roleDefinition})]", assignment.Name);
    }

    [Theory]
    [InlineData("Storage Blob Data Owner", StorageBlobDataOwner)]
    [InlineData("Storage Queue Data Contributor", StorageQueueDataContributor)]
    [InlineData("Storage Table Data Contributor", StorageTableDataContributor)]
    [InlineData("Monitoring Metrics Publisher", MonitoringMetricsPublisher)]
    [InlineData("Key Vault Crypto Service Encryption User", KeyVaultCryptoServiceEncryptionUser)]
    public void Assignment_principal_is_the_user_assigned_identity(string role, string roleId)
    {
        var assignment = Assignment(role, roleId);
        var parameter = ParameterName(assignment.Property("principalId").GetString()!);
        var passed = assignment.ModuleParameter(parameter).GetString()!;

        Assert.Contains("'Microsoft.Resources/deployments', 'identity')", passed, StringComparison.Ordinal);
        Assert.Contains("outputs.principalId.value", passed, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployer_table_access_is_optional_and_off_by_default()
    {
        var deployer = compiled.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => a.Property("principalId").GetString() == "[parameters('deployerPrincipalId')]")
            .ToList();

        var assignment = Assert.Single(deployer);
        Assert.Contains(StorageTableDataContributor, assignment.ExpandVariables(assignment.Property("roleDefinitionId").GetString()!), StringComparison.Ordinal);
        Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", assignment.Body.GetProperty("condition").GetString());
        Assert.Equal(string.Empty, compiled.MainParameter("deployerPrincipalId").GetProperty("defaultValue").GetString());
    }

    private ArmResource Assignment(string role, string roleId)
    {
        var matches = AppIdentityAssignments
            .Where(a => a.ExpandVariables(a.Property("roleDefinitionId").GetString()!).Contains(
                $"subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{roleId}')", StringComparison.Ordinal))
            .ToList();

        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {role} ({roleId}) assignment with principalType ServicePrincipal, found {matches.Count}.");
    }

    private static string Unbracket(string expression) =>
        expression.StartsWith('[') && expression.EndsWith(']') ? expression[1..^1] : $"'{expression}'";

    private static string ParameterName(string expression)
    {
        const string Prefix = "[parameters('";
        const string Suffix = "')]";
        return expression.StartsWith(Prefix, StringComparison.Ordinal) && expression.EndsWith(Suffix, StringComparison.Ordinal)
            ? expression[Prefix.Length..^Suffix.Length]
            : throw new InvalidOperationException($"principalId should be a module parameter, not {expression}.");
    }
}
