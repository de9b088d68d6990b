using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using OAuthFunctions.Core.Configuration;

namespace OAuthFunctions.Storage;

/// <summary>
/// Builds the table service client from the <c>OAuthStorage</c> connection setting, in the Azure SDK's
/// conventional form: a connection string (<c>UseDevelopmentStorage=true</c> for Azurite), or
/// <c>OAuthStorage__tableServiceUri</c> with Azure AD (<c>OAuthStorage__credential=managedidentity</c> and
/// <c>OAuthStorage__clientId</c> for a user-assigned identity; otherwise the default credential chain).
/// </summary>
public static class StorageConnection
{
    public const string SettingName = "OAuthStorage";

    public static TableServiceClient Create(IConfiguration configuration, TableClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SettingName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            try
            {
                return new TableServiceClient(section.Value, options);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new OAuthConfigurationException(
                    $"The setting {SettingName} is not a valid storage connection string (use UseDevelopmentStorage=true for Azurite, or set {SettingName}__tableServiceUri).",
                    ex);
            }
        }

        var serviceUri = section["tableServiceUri"];
        if (string.IsNullOrWhiteSpace(serviceUri))
        {
            throw new OAuthConfigurationException(
                $"The storage connection setting {SettingName} is missing: set {SettingName} to a connection string (UseDevelopmentStorage=true for Azurite) or {SettingName}__tableServiceUri to https://<account>.table.core.windows.net.");
        }

        if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new OAuthConfigurationException(
                $"The setting {SettingName}__tableServiceUri is invalid: expected an absolute URL such as https://<account>.table.core.windows.net.");
        }

        return new TableServiceClient(uri, Credential(section), options);
    }

    internal static TokenCredential Credential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        if (string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrWhiteSpace(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
        });
    }

    /// <summary>
    /// Client options for request paths: a few quick retries, then fail fast so the endpoint can answer 503
    /// instead of hanging.
    /// </summary>
    public static TableClientOptions DefaultClientOptions()
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }
}
