using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OAuthFunctions.Core.Clients;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Storage.KeyVault;
using OAuthFunctions.Storage.Maintenance;
using OAuthFunctions.Storage.Migration;
using OAuthFunctions.Storage.Stores;

namespace OAuthFunctions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Table Storage stores, purge, administration and the Data Protection key ring repository.
    /// Needs <see cref="TimeProvider"/> registered. The connection setting is validated here, so a bad one fails
    /// start-up; no request is sent and no table is created (tables come from Bicep or <c>oauthctl init</c>).
    /// </summary>
    /// <summary>
    /// <c>DataProtection__KeyVaultKeyUri</c>, validated: absent, or an https Key Vault key URI (a bad value fails
    /// start-up naming the setting).
    /// </summary>
    public static Uri? KeyVaultKeyUri(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var raw = configuration[KeyVaultKeyWrap.SettingName.Replace("__", ":", StringComparison.Ordinal)];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return KeyVaultKeyWrap.IsKeyUri(raw.Trim())
            ? new Uri(raw.Trim())
            : throw new OAuthConfigurationException($"The setting {KeyVaultKeyWrap.SettingName} is invalid: expected an https Key Vault key URI such as https://example.vault.azure.net/keys/dataprotection.");
    }

    public static IServiceCollection AddOAuthTableStorage(
        this IServiceCollection services,
        IConfiguration configuration,
        OAuthOptions options,
        Action<TableClientOptions>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = StorageConnection.DefaultClientOptions();
        configureClient?.Invoke(clientOptions);
        services.AddSingleton(new OAuthTables(StorageConnection.Create(configuration, clientOptions), options.TablePrefix));
        services.AddSingleton<TableClientStore>();
        services.AddSingleton<IClientStore>(provider => new CachingClientStore(
            provider.GetRequiredService<TableClientStore>(),
            provider.GetRequiredService<OAuthOptions>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IUserStore, TableUserStore>();
        services.AddSingleton<ITokenStore, TableTokenStore>();
        services.AddSingleton<ISigningKeyStore, TableSigningKeyStore>();
        services.AddSingleton<TokenPurger>();
        services.AddSingleton<TokenAdministration>();
        services.AddSingleton<DjangoImport>();
        services.AddSingleton<TableXmlRepository>();
        var keyVault = KeyVaultKeyUri(configuration);
        if (keyVault is not null)
        {
            services.AddSingleton(new KeyVaultKeyWrap(keyVault, StorageConnection.Credential(configuration.GetSection(StorageConnection.SettingName))));
        }

        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
            new ConfigureOptions<KeyManagementOptions>(options =>
            {
                options.XmlRepository = provider.GetRequiredService<TableXmlRepository>();

                // On Azure the master keys are stored encrypted with a key-encryption key in Key Vault; without the
                // setting (local development) they are stored as Data Protection writes them.
                if (keyVault is not null)
                {
                    options.XmlEncryptor = new KeyVaultXmlEncryptor(provider.GetRequiredService<KeyVaultKeyWrap>());
                }
            }));
        return services;
    }
}
