namespace OAuthFunctions.Tests.Infra;

/// <summary>
/// The Key Vault behind the Data Protection key ring (docs/ARCHITECTURE.md, "Keys at rest"): RBAC only, purge
/// protection, one RSA key allowed to wrap and unwrap, and the app told which key it is.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class KeyVaultTests(CompiledTemplate compiled)
{
    private ArmResource Vault => compiled.Single("Microsoft.KeyVault/vaults");

    private ArmResource Key => compiled.Single("Microsoft.KeyVault/vaults/keys");

    [Fact]
    public void Vault_uses_azure_rbac_and_has_no_access_policies()
    {
        Assert.True(Vault.Property("enableRbacAuthorization").GetBoolean());
        Assert.False(Vault.Properties.TryGetProperty("accessPolicies", out var policies) && policies.GetArrayLength() > 0);
    }

    [Fact]
    public void Vault_keeps_deleted_keys_and_cannot_be_purged_early()
    {
        Assert.True(Vault.Property("enablePurgeProtection").GetBoolean());
        Assert.Equal(90, Vault.Property("softDeleteRetentionInDays").GetInt32());
    }

    [Fact]
    public void Key_is_rsa_3072_for_wrap_and_unwrap_only_and_not_exportable()
    {
        Assert.Equal("RSA", Key.Property("kty").GetString());
        Assert.Equal(3072, Key.Property("keySize").GetInt32());
        Assert.Equal(["wrapKey", "unwrapKey"], Key.Property("keyOps").EnumerateArray().Select(o => o.GetString()!));
        Assert.False(Key.Property("attributes.exportable").GetBoolean());
    }

    [Fact]
    public void App_is_told_the_key_uri_from_the_vault_module()
    {
        var settings = compiled.OfType("Microsoft.Web/sites/config").Single().Properties;
        Assert.Equal("[parameters('keyEncryptionKeyUri')]", settings.GetProperty("DataProtection__KeyVaultKeyUri").GetString());
        Assert.Contains("outputs.keyUri.value", compiled.Module("functionapp").Argument("keyEncryptionKeyUri").GetString(), System.StringComparison.Ordinal);
    }
}
