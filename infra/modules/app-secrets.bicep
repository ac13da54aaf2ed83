// trustgate's own Key Vault (Azure RBAC) for the secrets of the app itself: the admission key. The Function App reads it
// through a Key Vault reference app setting, so the key is never stored as plain text in app settings, and it reaches
// this module only as a @secure() parameter (never inside an object), so deployment history does not show it either.
param name string
param location string
param tags object = {}
@description('Principal of the app identity; gets Key Vault Secrets User on the admission key secret only.')
param principalId string
@secure()
@description('TRUSTGATE_ADMISSION_KEY. Empty: no secret and no app setting.')
param admissionKey string = ''
param admissionKeySecretName string = 'trustgate-admission-key'

var roles = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}
var hasAdmissionKey = !empty(admissionKey)

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource admissionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (hasAdmissionKey) {
  parent: vault
  name: admissionKeySecretName
  properties: {
    value: admissionKey
    contentType: 'text/plain'
  }
}

// Scoped to the one secret trustgate reads, not to the vault.
resource admissionKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (hasAdmissionKey) {
  name: guid(admissionKeySecret.id, principalId, roles.keyVaultSecretsUser)
  scope: admissionKeySecret
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

output name string = vault.name
@description('App setting value: a Key Vault reference the platform resolves with the app identity (empty without a key).')
output admissionKeyReference string = hasAdmissionKey ? '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${admissionKeySecretName})' : ''
