// Pull access to the registry being verified. Registries in "RBAC Registry + ABAC Repository Permissions" mode
// ignore AcrPull and need Container Registry Repository Reader instead (optionally conditioned to repositories).
param principalId string
param registryName string
@allowed([ 'rbac', 'abac' ])
@description('The registry\'s role assignment permissions mode.')
param permissionsMode string = 'rbac'

var roles = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  containerRegistryRepositoryReader: 'b93aa761-3e63-49ed-ac28-beffa264f7ac'
}
var roleId = permissionsMode == 'abac' ? roles.containerRegistryRepositoryReader : roles.acrPull

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, principalId, roleId)
  scope: registry
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}

output loginServer string = registry.properties.loginServer
output location string = registry.location
