// Second deployment stage: ACR pushes and deletes → Event Grid system topic → the acrEvents function.
// An AzureFunction endpoint is checked when the subscription is created, so the code must be deployed first
// ("Destination endpoint not found" otherwise). Deployed into the registry's resource group.
// Event Grid allows one system topic per source: when the registry already has one, pass its name in
// existingSystemTopicName and the subscription is added to it instead of creating a second topic (which would fail).
param registryName string
@description('Name of the registry\'s existing Event Grid system topic (same resource group as the registry). Empty: create one.')
param existingSystemTopicName string = ''
param functionAppId string
@description('Name of the Event Grid triggered function.')
param functionName string = 'acrEvents'
@allowed([ 'EventGridSchema', 'CloudEventSchemaV1_0' ])
param eventDeliverySchema string = 'EventGridSchema'
param tags object = {}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

var createTopic = empty(existingSystemTopicName)
var topicName = createTopic ? '${registryName}-trustgate-events' : existingSystemTopicName

resource newTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = if (createTopic) {
  name: topicName
  location: registry.location
  tags: tags
  properties: {
    source: registry.id
    topicType: 'Microsoft.ContainerRegistry.Registries'
  }
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: topicName
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
  dependsOn: [ newTopic ]
}

output systemTopicId string = systemTopic.id
output createdSystemTopic bool = createTopic
output subscriptionName string = subscription.name
