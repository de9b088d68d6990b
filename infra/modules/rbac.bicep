// Role assignments for the app's user-assigned identity (and, optionally, for the person who deploys).
// Each is named guid(scope, principal, role) so a re-deployment finds the same assignment instead of
// failing with RoleAssignmentExists. Principal ids come in as parameters so the names are known when the
// deployment starts (BCP120).

@description('Name of the storage account that holds AzureWebJobsStorage, the deployment container and the OAuth tables.')
param storageAccountName string

@description('Name of the Key Vault holding the key-encryption key of the Data Protection key ring.')
param keyVaultName string

@description('Name of the Application Insights component the app sends telemetry to.')
param applicationInsightsName string

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param appPrincipalId string

@description('Object id of a person, group or service principal that gets Storage Table Data Contributor on the account (to run the CLI against the deployed tables). Empty: no assignment.')
param deployerPrincipalId string

@description('Type of deployerPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  storageBlobDataOwner: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  storageQueueDataContributor: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  storageTableDataContributor: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  monitoringMetricsPublisher: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  keyVaultCryptoServiceEncryptionUser: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'e147488a-f6f5-4113-8e2d-b22465e65bf6')
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The Functions host keeps leases, timer schedules and keys in blobs (AzureWebJobsStorage), and the
// platform reads the deployment package from the deployment container: both need blob data access.
// Owner rather than Contributor, as Microsoft's Flex Consumption templates use for the host's storage.
resource appBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: roles.storageBlobDataOwner
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The Functions host uses queues for its own bookkeeping (and queue-based triggers, should any be added).
resource appQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: roles.storageQueueDataContributor
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The app reads and writes the OAuth tables (clients, users, tokens, keys).
resource appTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: roles.storageTableDataContributor
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights has local authentication off: ingestion needs this role.
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: roles.monitoringMetricsPublisher
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The app wraps and unwraps Data Protection keys with the vault's key-encryption key: read key metadata, wrap and
// unwrap, nothing else (no key export, no secrets). The private half of the key never leaves the vault.
resource appKeyVaultCryptoServiceEncryptionUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, appPrincipalId, roles.keyVaultCryptoServiceEncryptionUser)
  scope: keyVault
  properties: {
    roleDefinitionId: roles.keyVaultCryptoServiceEncryptionUser
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Lets the deployer run `oauthctl clients add` etc. with `az login` against the deployed tables.
resource deployerTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage.id, deployerPrincipalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: roles.storageTableDataContributor
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}
