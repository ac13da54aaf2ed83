// trustgate on Azure (azd). Stage 1 (`azd up`): identity, storage + verdicts table, monitoring, the Flex
// Consumption Function App and its role assignments. Stage 2 (after the code is deployed; the azure.yaml
// postdeploy hook sets DEPLOY_EVENT_SUBSCRIPTION=true and provisions again): the ACR Event Grid system topic
// and its subscription to the acrEvents function.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; prefixes every resource.')
param environmentName string

@minLength(1)
@description('Region of the app resources.')
param location string

@description('Existing container registry to verify and to receive push/delete events from. Empty: no registry wiring.')
param containerRegistryName string = ''
@description('Resource group of the registry. Default: the app resource group.')
param containerRegistryResourceGroup string = ''
@allowed([ 'rbac', 'abac' ])
@description('The registry\'s role assignment permissions mode: AcrPull (rbac) or Container Registry Repository Reader (abac).')
param registryPermissionsMode string = 'rbac'

@description('Existing Key Vault (Azure RBAC mode) holding trust anchors. Empty: no Key Vault trust store.')
param keyVaultName string = ''
@description('Resource group of the Key Vault. Default: the app resource group.')
param keyVaultResourceGroup string = ''
@description('TRUSTGATE_KEYVAULT_STORES: JSON {"ca:name": [{"certificate": "kv-cert-name", "version": "optional"}]}.')
param keyVaultStores string = ''

@description('TRUSTGATE_TRUST_POLICY: the Notation OCI trust policy document (inline JSON).')
param trustPolicy string = ''
@description('TRUSTGATE_TRUST_STORE_INLINE: JSON {"ca:name": "PEM..." | ["PEM..."]}.')
param trustStoreInline string = ''
@description('TRUSTGATE_ALLOWED_REGISTRIES: comma-separated hosts trustgate may contact. Default: the registry\'s login server.')
param allowedRegistries string = ''
@secure()
@description('TRUSTGATE_ADMISSION_KEY, the secret path segment of the admission and Gatekeeper endpoints. Stored in the app Key Vault; the app reads it through a Key Vault reference.')
param admissionKey string = ''
@description('TRUSTGATE_RECHECK_SCHEDULE: NCRONTAB (UTC on Flex) of the verdict re-check timer.')
param recheckSchedule string = '0 */15 * * * *'
@allowed([ 'debug', 'info', 'warn', 'error' ])
param logLevel string = 'info'
@description('TRUSTGATE_EVENTGRID_TOPIC_ENDPOINT: optional custom topic for Trustgate.VerdictChanged / Trustgate.CertificateExpiring (the identity needs EventGrid Data Sender on it).')
param eventGridTopicEndpoint string = ''
@description('Any other TRUSTGATE_* app settings (admission mode, deadlines, cache sizes, ...), as an object of strings; they win over the ones above.')
param additionalSettings object = {}

@minValue(1)
@description('Always-ready instances of the http group (admission latency).')
param alwaysReadyHttpInstances int = 1
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Existing Event Grid system topic of the registry (Event Grid allows one per registry). Empty: stage 2 creates one.')
param containerRegistrySystemTopicName string = ''
@description('Stage 2: create the ACR Event Grid subscription (needs the acrEvents function deployed).')
param deployEventSubscription bool = false
@allowed([ 'EventGridSchema', 'CloudEventSchemaV1_0' ])
param eventDeliverySchema string = 'EventGridSchema'

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
// Resource names from the azd environment name: lowercase, only a-z 0-9 and '-' (azd also allows '_', '.', '(' and ')'),
// each cut to its resource type's limit; compactName (no '-') is for storage and Key Vault names.
var safeName = toLower(replace(replace(replace(replace(replace(environmentName, '_', '-'), '.', '-'), ' ', '-'), '(', ''), ')', ''))
var compactName = replace(safeName, '-', '')
var names = {
  resourceGroup: 'rg-${take(safeName, 87)}'
  identity: 'id-${take(safeName, 125)}'
  // storage: 3-24 lowercase letters and digits, globally unique.
  storage: 'st${take(compactName, 9)}${token}'
  // Key Vault: 3-24 letters, digits and '-', starting with a letter, globally unique.
  keyVault: 'kv${take(compactName, 9)}${token}'
  // Log Analytics: 4-63, ends with a letter or digit.
  logAnalytics: 'log-${take(safeName, 52)}-${take(token, 6)}'
  applicationInsights: 'appi-${take(safeName, 64)}'
  plan: 'plan-${take(safeName, 55)}'
  // Function App (site): at most 60, ends with a letter or digit, globally unique host name.
  functionApp: 'func-${take(safeName, 48)}-${take(token, 6)}'
  deploymentContainer: 'app-package-${take(token, 8)}'
  verdictTable: 'verdicts'
  admissionKeySecret: 'trustgate-admission-key'
}
var hasRegistry = !empty(containerRegistryName)
var hasKeyVault = !empty(keyVaultName)
// The secrets trustgate reads from the trust-anchor vault: one per certificate named in TRUSTGATE_KEYVAULT_STORES.
var keyVaultStoreSecrets = union(flatten(map(items(json(empty(keyVaultStores) ? '{}' : keyVaultStores)), store => map(store.value, ref => ref.certificate))), [])

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: names.identity, location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: names.deploymentContainer
    verdictTableName: names.verdictTable
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module appRoles 'modules/app-roles.bicep' = {
  name: 'app-roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.name
  }
}

module registryRoles 'modules/registry-roles.bicep' = if (hasRegistry) {
  name: 'registry-roles'
  scope: resourceGroup(empty(containerRegistryResourceGroup) ? names.resourceGroup : containerRegistryResourceGroup)
  params: {
    principalId: identity.outputs.principalId
    registryName: containerRegistryName
    permissionsMode: registryPermissionsMode
  }
  dependsOn: [ rg ]
}

module keyVaultRoles 'modules/keyvault-roles.bicep' = if (hasKeyVault) {
  name: 'keyvault-roles'
  scope: resourceGroup(empty(keyVaultResourceGroup) ? names.resourceGroup : keyVaultResourceGroup)
  params: {
    principalId: identity.outputs.principalId
    keyVaultName: keyVaultName
    secretNames: keyVaultStoreSecrets
  }
  dependsOn: [ rg ]
}

module appSecrets 'modules/app-secrets.bicep' = {
  name: 'app-secrets'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    admissionKey: admissionKey
    admissionKeySecretName: names.admissionKeySecret
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: names.deploymentContainer
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    maximumInstanceCount: maximumInstanceCount
    trustgateSettings: union({
      TRUSTGATE_TRUST_POLICY: trustPolicy
      TRUSTGATE_TRUST_STORE_INLINE: trustStoreInline
      TRUSTGATE_ALLOWED_REGISTRIES: !empty(allowedRegistries) ? allowedRegistries : (hasRegistry ? registryRoles.outputs.loginServer : '')
      TRUSTGATE_TABLE_ENDPOINT: storage.outputs.tableEndpoint
      TRUSTGATE_TABLE_NAME: names.verdictTable
      TRUSTGATE_KEYVAULT_URL: hasKeyVault ? keyVaultRoles.outputs.vaultUri : ''
      TRUSTGATE_KEYVAULT_STORES: keyVaultStores
      TRUSTGATE_RECHECK_SCHEDULE: recheckSchedule
      TRUSTGATE_LOG_LEVEL: logLevel
      // Pull from the registry with the app's identity (Entra ID token exchange) when one is wired up.
      TRUSTGATE_ACR_AUTH: hasRegistry ? 'entra' : 'anonymous'
      TRUSTGATE_EVENTGRID_TOPIC_ENDPOINT: eventGridTopicEndpoint
    }, additionalSettings)
    admissionKeyReference: appSecrets.outputs.admissionKeyReference
  }
  // Roles first: the host reads its storage with the identity as soon as the app starts.
  dependsOn: [ appRoles ]
}

module acrEvents 'modules/acr-events.bicep' = if (deployEventSubscription && hasRegistry) {
  name: 'acr-events'
  scope: resourceGroup(empty(containerRegistryResourceGroup) ? names.resourceGroup : containerRegistryResourceGroup)
  params: {
    registryName: containerRegistryName
    existingSystemTopicName: containerRegistrySystemTopicName
    functionAppId: functionApp.outputs.id
    functionName: 'acrEvents'
    eventDeliverySchema: eventDeliverySchema
    tags: tags
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output TRUSTGATE_URL string = 'https://${functionApp.outputs.defaultHostName}'
output TRUSTGATE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output TRUSTGATE_TABLE_NAME string = names.verdictTable
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output EVENT_SUBSCRIPTION_DEPLOYED bool = deployEventSubscription && hasRegistry
