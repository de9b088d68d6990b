// The Key Vault that holds the key-encryption key of the Data Protection key ring. Access is by Azure RBAC only
// (no access policies, no keys or secrets handed out); the app's identity gets wrap and unwrap in rbac.bicep.

@description('Name of the vault (3 to 24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags.')
param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Azure RBAC decides who may use the key; access policies are off.
    enableRbacAuthorization: true
    // A deleted key would make every stored Data Protection key, and so every signing key, unreadable: deletion is
    // recoverable for 90 days and cannot be purged early.
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// RSA 3072 for RSA-OAEP-256 wrapping; only wrap and unwrap are permitted. It is created once and kept: Key Vault
// keeps every version, and a rotation of it (a new version) still unwraps what older versions wrapped.
resource key 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'dataprotection'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    attributes: {
      enabled: true
      exportable: false
    }
  }
}

output name string = vault.name
output keyUri string = key.properties.keyUri
