// The Function App on Flex Consumption: Node 22, identity-based storage and telemetry, an always-ready
// instance for the http group (admission webhooks cannot wait for a cold start), and trustgate's settings.
// Flex rules: the runtime is set in functionAppConfig.runtime; FUNCTIONS_WORKER_RUNTIME,
// WEBSITE_RUN_FROM_PACKAGE and WEBSITE_TIME_ZONE/TZ must not be set.
param name string
param planName string
param location string
param tags object = {}
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param deploymentContainerName string
param applicationInsightsConnectionString string
@description('trustgate settings (TRUSTGATE_*); empty values are left out. Never secrets: see admissionKeyReference.')
param trustgateSettings object
@description('TRUSTGATE_ADMISSION_KEY as a Key Vault reference (@Microsoft.KeyVault(...)), resolved with the app identity.')
param admissionKeyReference string = ''
@minValue(1)
@description('Always-ready instances of the http group.')
param alwaysReadyHttpInstances int = 1
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

var platformSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // DefaultAzureCredential / ManagedIdentityCredential pick the user-assigned identity by this.
  AZURE_CLIENT_ID: identityClientId
}
var secretSettings = {
  TRUSTGATE_ADMISSION_KEY: admissionKeyReference
}
var settings = filter(items(union(platformSettings, trustgateSettings, secretSettings)), setting => !empty(setting.value))

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
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
    // Key Vault references in app settings are resolved with the user-assigned identity.
    keyVaultReferenceIdentity: identityId
    // Flex Consumption does not list the platform's client-certificate features as supported, so X-ARR-ClientCert may
    // never arrive: webhook callers authenticate with the secret path segment (TRUSTGATE_ADMISSION_KEY) here, not mTLS.
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in settings: {
        name: setting.key
        value: string(setting.value)
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: [
          {
            name: 'http'
            instanceCount: alwaysReadyHttpInstances
          }
        ]
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
