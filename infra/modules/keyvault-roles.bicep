// Least-privilege read access to the trust anchors kept in an existing Key Vault (Azure RBAC mode, enableRbacAuthorization),
// deployed into the vault's resource group. trustgate reads each certificate's chain from the secret of the same name
// (getSecret) and lists certificate versions (metadata). So: Key Vault Secrets User on each named secret only, and
// Key Vault Reader (metadata, no secret values) on the vault. Not Key Vault Certificate User at vault scope: that role
// can read every secret of the vault. Re-provision after adding a certificate to TRUSTGATE_KEYVAULT_STORES.
param principalId string
param keyVaultName string
@description('Names of the certificates (and so secrets) named in TRUSTGATE_KEYVAULT_STORES.')
param secretNames array = []

var roles = {
  keyVaultReader: '21090545-7ca7-4776-b22c-e363652d74d2'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = [for secretName in secretNames: {
  parent: vault
  name: secretName
}]

resource metadataReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.keyVaultReader)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultReader)
  }
}

resource secretReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (secretName, i) in secretNames: {
  name: guid(secrets[i].id, principalId, roles.keyVaultSecretsUser)
  scope: secrets[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}]

output vaultUri string = vault.properties.vaultUri
