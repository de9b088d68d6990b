// OAuthFunctions on Azure: a Flex Consumption function app over Table Storage, reached only with a
// user-assigned managed identity (no keys anywhere), with Application Insights.
//
// Scope: one resource group that must exist (`az group create`, or azd creates or picks it and keeps it as
// AZURE_RESOURCE_GROUP). Resource-group scope needs fewer rights than subscription scope and lets plain
// `az deployment group create` and `azd up` deploy the same template.
targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------
// Environment

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME). Tags every resource and seeds the resource names.')
param environmentName string

@description('Azure region of every resource; defaults to the resource group\'s. It must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Object id of a user, group or service principal to grant Storage Table Data Contributor on the storage account, so that they can create the first client with the CLI. Empty: no grant. azd passes the signed-in principal (AZURE_PRINCIPAL_ID).')
param deployerPrincipalId string = ''

@description('Type of deployerPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------------------
// Hosting

@description('Most instances the Flex Consumption app scales out to (1 to 1000).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Instances kept running for the HTTP functions even when idle, so that requests do not wait for a cold start (0 to 1000, at most maximumInstanceCount). Each is billed all month at the always-ready baseline rate; see docs/DEPLOY.md.')
@minValue(0)
@maxValue(1000)
param alwaysReady int = 0

@description('Memory of each Flex Consumption instance, in MB (512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days the Log Analytics workspace keeps logs (30 to 730).')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// ---------------------------------------------------------------------------------------------------------
// OAuth settings (docs/BEHAVIOUR.md §2), written as the app settings OAuth__<Name>. The code's defaults follow
// django-oauth2-provider; these are production values.

@description('OAuth__Scopes: comma-separated scope names; the i-th gets bit 1 << (i+1).')
param scopes string = 'read,write'

@description('OAuth__ResponseTypes: \'code\', or \'code,token\' to enable the implicit flow.')
@allowed([
  'code'
  'code,token'
])
param responseTypes string = 'code'

@description('OAuth__AccessTokenLifetime: access token lifetime for confidential clients (TimeSpan, d.hh:mm:ss).')
param accessTokenLifetime string = '01:00:00'

@description('OAuth__PublicAccessTokenLifetime: access token lifetime for public clients.')
param publicAccessTokenLifetime string = '01:00:00'

@description('OAuth__CodeLifetime: authorization code lifetime (RFC 6749 §4.1.2 recommends at most 10 minutes).')
param codeLifetime string = '00:10:00'

@description('OAuth__RefreshTokenLifetime: refresh token lifetime, counted from each issue; \'none\' never expires.')
param refreshTokenLifetime string = '30.00:00:00'

@description('OAuth__RotatedRefreshTokenRetention: how long a rotated, non-expiring refresh token is kept to detect its reuse.')
param rotatedRefreshTokenRetention string = '90.00:00:00'

@description('OAuth__EnforceSecure: refuse plain-HTTP requests on every endpoint.')
param enforceSecure bool = true

@description('OAuth__SessionKey: prefix of the login and flow-state cookies (letters, digits, \'_\' or \'-\').')
@minLength(1)
@maxLength(32)
param sessionKey string = 'oauth'

@description('OAuth__LoginLifetime: how long a login lasts.')
param loginLifetime string = '08:00:00'

@description('OAuth__PurgeSchedule: six-field NCRONTAB schedule (with seconds) of the purge timer.')
param purgeSchedule string = '0 */15 * * * *'

@description('OAuth__PurgeMaxItems: most rows one purge run deletes.')
@minValue(100)
@maxValue(1000000)
param purgeMaxItems int = 20000

@description('OAuth__TablePrefix: prefix of the table names (<prefix>Clients, Users, Tokens, Keys); a letter, then letters or digits.')
@minLength(1)
@maxLength(50)
param tablePrefix string = 'OAuth'

@description('OAuth__Issuer: issuer identifier and public base URL (RFC 8414 §2), e.g. https://login.example.com behind a custom domain. Empty: https://<default host name of the function app>.')
param issuer string = ''

@description('OAuth__ForwardedHops: how many proxies in front of the Functions host may speak for the client in X-Forwarded-*. 0 on Azure: the Functions host and the worker already apply the front end\'s view of the connection (docs/ARCHITECTURE.md, "Who the client is").')
@minValue(0)
@maxValue(10)
param forwardedHops int = 0

@description('OAuth__ClientCacheLifetime: how long one instance reuses a client read from storage (00:00:00 disables the cache).')
param clientCacheLifetime string = '00:01:00'

@description('OAuth__TemplatesPath: directory of operator page templates deployed with the app. Empty: the built-in pages.')
param templatesPath string = ''

@description('OAuth__SigningAlgorithm: JWS algorithm of new signing keys (ID tokens, JWT access tokens). RS256 is what OpenID Connect clients expect unless they registered another.')
@allowed([
  'RS256'
  'ES256'
])
param signingAlgorithm string = 'RS256'

@description('OAuth__SigningKeyLifetime: how long one signing key signs before the next takes over (each is published up to a day ahead).')
param signingKeyLifetime string = '30.00:00:00'

@description('OAuth__IdTokenLifetime: lifetime of an ID token.')
param idTokenLifetime string = '00:10:00'

@description('OAuth__JwtAccessTokenLifetime: lifetime of an RFC 9068 JWT access token (clients registered for that format); short, as resource servers validate them offline.')
param jwtAccessTokenLifetime string = '00:10:00'

@description('OAuth__TokenShards: partitions each expiry hour of codes and access tokens is spread over; about 2,000 writes/s each (docs/PERFORMANCE.md, "Scale"). Changing it later strands no token.')
@minValue(1)
@maxValue(62)
param tokenShards int = 16

// ---------------------------------------------------------------------------------------------------------
// Names

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = '${abbrs.webSitesFunctions}oauth-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'
var tableNames = [
  '${tablePrefix}Clients'
  '${tablePrefix}Users'
  '${tablePrefix}Tokens'
  '${tablePrefix}Keys'
]

// ---------------------------------------------------------------------------------------------------------
// Resources

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}oauth-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tableNames: tableNames
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

// The key-encryption key of the Data Protection key ring, which encrypts the sign-in cookies and the signing keys'
// private parts (docs/ARCHITECTURE.md, "Keys at rest").
module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: '${abbrs.webServerFarms}${resourceToken}'
    appName: functionAppName
    location: location
    tags: tags
    azdServiceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyEncryptionKeyUri: keyVault.outputs.keyUri
    maximumInstanceCount: maximumInstanceCount
    alwaysReady: alwaysReady
    instanceMemoryMB: instanceMemoryMB
    oauth: {
      scopes: scopes
      responseTypes: responseTypes
      accessTokenLifetime: accessTokenLifetime
      publicAccessTokenLifetime: publicAccessTokenLifetime
      codeLifetime: codeLifetime
      refreshTokenLifetime: refreshTokenLifetime
      rotatedRefreshTokenRetention: rotatedRefreshTokenRetention
      enforceSecure: enforceSecure
      sessionKey: sessionKey
      loginLifetime: loginLifetime
      purgeSchedule: purgeSchedule
      purgeMaxItems: purgeMaxItems
      tablePrefix: tablePrefix
      issuer: issuer
      forwardedHops: forwardedHops
      clientCacheLifetime: clientCacheLifetime
      templatesPath: templatesPath
      signingAlgorithm: signingAlgorithm
      signingKeyLifetime: signingKeyLifetime
      idTokenLifetime: idTokenLifetime
      jwtAccessTokenLifetime: jwtAccessTokenLifetime
      tokenShards: tokenShards
    }
  }
  // The app starts as soon as it has settings; let it find its storage and telemetry roles in place.
  dependsOn: [
    rbac
  ]
}

// ---------------------------------------------------------------------------------------------------------
// Outputs (azd saves them in .azure/<env>/.env)

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output OAUTH_ISSUER string = functionApp.outputs.issuer
output OAUTH_METADATA_URL string = '${functionApp.outputs.issuer}/.well-known/oauth-authorization-server'
output OAUTH_OPENID_CONFIGURATION_URL string = '${functionApp.outputs.issuer}/.well-known/openid-configuration'
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output OAUTH_TABLE_SERVICE_URI string = functionApp.outputs.tableServiceUri
output OAUTH_TABLE_PREFIX string = tablePrefix
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
