// Flex Consumption plan and the function app, running as the user-assigned identity, with every app
// setting the server reads. No setting holds a key: storage and Application Insights are reached with the
// identity (the `__credential`/`__clientId` forms of the Azure SDK's connection settings).

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app; its default host name becomes the issuer unless one is given.')
param appName string

@description('Azure region.')
param location string

@description('Tags for the plan and the app (the app also gets azd-service-name).')
param tags object

@description('Service name in azure.yaml that azd deploys to this app.')
param azdServiceName string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Blob endpoint of the storage account, e.g. https://<account>.blob.core.windows.net/.')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account.')
param storageQueueEndpoint string

@description('Table endpoint of the storage account.')
param storageTableEndpoint string

@description('URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('URI of the Key Vault key that wraps the Data Protection key ring (the key-encryption key).')
param keyEncryptionKeyUri string

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Instances kept running for the HTTP functions (0: none; every instance starts on demand).')
@minValue(0)
@maxValue(1000)
param alwaysReady int

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('The OAuth settings (docs/BEHAVIOUR.md §2), written as the app settings OAuth__<Name>.')
param oauth oauthSettings

@description('The server\'s settings, one property per OAuthOptions setting, in app-setting format.')
type oauthSettings = {
  scopes: string
  responseTypes: string
  accessTokenLifetime: string
  publicAccessTokenLifetime: string
  codeLifetime: string
  refreshTokenLifetime: string
  rotatedRefreshTokenRetention: string
  enforceSecure: bool
  sessionKey: string
  loginLifetime: string
  purgeSchedule: string
  purgeMaxItems: int
  tablePrefix: string
  @description('https issuer URL; empty means https://<default host name of the app>.')
  issuer: string
  @minValue(0)
  @maxValue(10)
  forwardedHops: int
  clientCacheLifetime: string
  templatesPath: string
  signingAlgorithm: string
  signingKeyLifetime: string
  idTokenLifetime: string
  jwtAccessTokenLifetime: string
  @minValue(1)
  @maxValue(62)
  tokenShards: int
}

// The primary endpoints end with '/'; the documented setting form is https://<account>.table.core.windows.net.
func withoutTrailingSlash(uri string) string => endsWith(uri, '/') ? substring(uri, 0, max(length(uri) - 1, 0)) : uri

// RFC 8414 §2: the issuer is the https URL clients reach the server at.
var issuer = empty(oauth.issuer) ? 'https://${app.properties.defaultHostName}' : oauth.issuer

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Flex Consumption runs on Linux only.
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    // Flex Consumption takes the runtime from here, not from FUNCTIONS_WORKER_RUNTIME /
    // FUNCTIONS_EXTENSION_VERSION app settings (which it rejects).
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        // The 'http' group covers every HTTP function; the purge timer never needs a warm instance.
        alwaysReady: alwaysReady > 0 ? [
          {
            name: 'http'
            instanceCount: alwaysReady
          }
        ] : []
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
  }
}

// Deployments (azd, `func azure functionapp publish`, zip deploy) authenticate with Microsoft Entra ID;
// FTP and SCM basic-auth publishing credentials are turned off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

// App settings live in their own resource, deployed after the site, because OAuth__Issuer is built from the
// site's defaultHostName: a resource cannot reference its own properties, and guessing
// '<name>.azurewebsites.net' would be wrong in other clouds and with unique default host names.
// This resource replaces the whole set of app settings, so every setting is listed here.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // Functions host storage through the identity: blobs (leases, timer status, keys), queues, and tables
    // (the host's diagnostic events). Service URIs rather than __accountName so other clouds work too.
    AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
    AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
    AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId

    // Telemetry through the identity (Application Insights has local authentication off).
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    // Lets DefaultAzureCredential, wherever the code uses it, pick this identity.
    AZURE_CLIENT_ID: identityClientId

    // The Functions host reads every request body into memory to build the trigger's binding data before the app
    // runs, up to 100 MB by default (HttpRequestBodySizeMiddleware); the app itself reads at most 64 KiB of a form.
    // 1 MiB lets the app answer bodies up to that size with its own 413 invalid_request; larger ones are refused by
    // the host, with the host's answer. There is no host.json key for this limit.
    FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '1048576'

    // The Data Protection key ring (sign-in cookies, signing keys' private parts) is stored wrapped by this Key Vault
    // key, reached with the identity above (AZURE_CLIENT_ID / OAuthStorage__clientId): docs/ARCHITECTURE.md, "Keys at rest".
    DataProtection__KeyVaultKeyUri: keyEncryptionKeyUri

    // The OAuth tables (docs/BEHAVIOUR.md §2: the OAuthStorage connection, tableServiceUri plus managed identity).
    OAuthStorage__tableServiceUri: withoutTrailingSlash(storageTableEndpoint)
    OAuthStorage__credential: 'managedidentity'
    OAuthStorage__clientId: identityClientId

    // The server's settings (OAuthOptions.SettingNames); the infra tests compare this list with the code's.
    OAuth__Scopes: oauth.scopes
    OAuth__ResponseTypes: oauth.responseTypes
    OAuth__AccessTokenLifetime: oauth.accessTokenLifetime
    OAuth__PublicAccessTokenLifetime: oauth.publicAccessTokenLifetime
    OAuth__CodeLifetime: oauth.codeLifetime
    OAuth__RefreshTokenLifetime: oauth.refreshTokenLifetime
    OAuth__RotatedRefreshTokenRetention: oauth.rotatedRefreshTokenRetention
    OAuth__EnforceSecure: oauth.enforceSecure ? 'true' : 'false'
    OAuth__SessionKey: oauth.sessionKey
    OAuth__LoginLifetime: oauth.loginLifetime
    OAuth__PurgeSchedule: oauth.purgeSchedule
    OAuth__PurgeMaxItems: string(oauth.purgeMaxItems)
    OAuth__TablePrefix: oauth.tablePrefix
    OAuth__Issuer: issuer
    OAuth__ForwardedHops: string(oauth.forwardedHops)
    OAuth__ClientCacheLifetime: oauth.clientCacheLifetime
    OAuth__TemplatesPath: oauth.templatesPath
    OAuth__SigningAlgorithm: oauth.signingAlgorithm
    OAuth__SigningKeyLifetime: oauth.signingKeyLifetime
    OAuth__IdTokenLifetime: oauth.idTokenLifetime
    OAuth__JwtAccessTokenLifetime: oauth.jwtAccessTokenLifetime
    OAuth__TokenShards: string(oauth.tokenShards)
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output issuer string = issuer
output tableServiceUri string = withoutTrailingSlash(storageTableEndpoint)
