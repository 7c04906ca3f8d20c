// The Event Grid system topic of the storage account. Its subscription to the blob trigger's webhook is made by the
// postdeploy hook (infra/hooks/postdeploy.sh): the webhook's blobs_extension key exists only once the code runs.
// The topic's own identity writes undeliverable events to the dead-letter container (its role is in roles.bicep).
param name string
param location string
param tags object
param storageAccountName string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
output principalId string = topic.identity.principalId
