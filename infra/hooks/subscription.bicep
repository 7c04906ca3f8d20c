// The Event Grid subscription of the blob trigger IngestLanding, deployed by infra/hooks/postdeploy.sh with
// `az deployment group create` once the code runs (the webhook's blobs_extension key exists only then). Deploying it again
// updates it. Undeliverable events go to the dead-letter container, written by the system topic's own identity (its role
// is in modules/roles.bicep): a destination reached by identity, which `az eventgrid system-topic event-subscription create`
// cannot make (it takes no --deadletter-identity).
// Only final writes under landing/ are delivered: a block blob upload raises BlobCreated once, at PutBlockList (or PutBlob
// for a small file), a server-side copy at CopyBlob, a Data Lake upload at FlushWithClose.
targetScope = 'resourceGroup'

@description('The storage account\'s Event Grid system topic (azd output EVENT_GRID_SYSTEM_TOPIC_NAME).')
param systemTopicName string

@description('The Functions app (azd output AZURE_FUNCTION_APP_NAME).')
param functionAppName string

@description('The storage account (azd output AZURE_STORAGE_ACCOUNT_NAME).')
param storageAccountName string

@description('The dead-letter container (azd output EVENT_GRID_DEADLETTER_CONTAINER).')
param deadLetterContainer string

var functionName = 'IngestLanding'

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'landing-to-ingest'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The key is read here, at deployment, and never leaves Azure: not through the hook, not into its logs.
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${app.id}/host/default', '2025-03-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/landing/'
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.api'
          values: [
            'PutBlob'
            'PutBlockList'
            'CopyBlob'
            'FlushWithClose'
          ]
        }
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
}

output name string = subscription.name
