// Finsam.Pipeline — storage and secrets.
// The storage account holds the pipeline's containers; the Key Vault holds the pseudonymisation key.
// The Function App (blob and timer triggers) is added with the hosts step of the roadmap.
// Deploy: az deployment group create -g <resource-group> -f infra/main.bicep -p namePrefix=finsam
targetScope = 'resourceGroup'

@description('Short lowercase prefix for resource names (3-11 letters or digits).')
@minLength(3)
@maxLength(11)
param namePrefix string

@description('Azure region; Sweden Central keeps participant data in Sweden.')
param location string = 'swedencentral'

@description('Object id of the controller group that may read curated data and manage the key.')
param controllerPrincipalId string = ''

var suffix = uniqueString(resourceGroup().id)
var containerNames = [
  'landing'
  'raw'
  'curated'
  'quarantine'
  'reference'
  'published'
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: toLower('${namePrefix}${take(suffix, 12)}')
  location: location
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
    allowSharedKeyAccess: false // Entra ID only: the pipeline uses DefaultAzureCredential
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in containerNames: {
  parent: blobService
  name: name
  properties: { publicAccess: 'None' }
}]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${namePrefix}-kv-${take(suffix, 8)}'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
  }
}

// Storage Blob Data Contributor for the controller group (reads curated data, maintains reference/).
resource controllerBlobAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(controllerPrincipalId)) {
  name: guid(storage.id, controllerPrincipalId, 'blob-contributor')
  scope: storage
  properties: {
    principalId: controllerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalType: 'Group'
  }
}

output storageAccountName string = storage.name
output storageAccountUrl string = storage.properties.primaryEndpoints.blob
output keyVaultName string = vault.name
