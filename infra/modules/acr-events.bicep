// Second deployment stage: ACR pushes and deletes → Event Grid system topic → the acrEvents function.
// An AzureFunction endpoint is checked when the subscription is created, so the code must be deployed first
// ("Destination endpoint not found" otherwise). Deployed into the registry's resource group.
param registryName string
param functionAppId string
@description('Name of the Event Grid triggered function.')
param functionName string = 'acrEvents'
@allowed([ 'EventGridSchema', 'CloudEventSchemaV1_0' ])
param eventDeliverySchema string = 'EventGridSchema'
param tags object = {}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: '${registryName}-trustgate-events'
  location: registry.location
  tags: tags
  properties: {
    source: registry.id
    topicType: 'Microsoft.ContainerRegistry.Registries'
  }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: systemTopic
  name: 'trustgate-acr-events'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionAppId}/functions/${functionName}'
        maxEventsPerBatch: 10
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.ContainerRegistry.ImagePushed'
        'Microsoft.ContainerRegistry.ImageDeleted'
      ]
    }
    eventDeliverySchema: eventDeliverySchema
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output systemTopicId string = systemTopic.id
output subscriptionName string = subscription.name
