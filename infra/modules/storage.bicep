// The pipeline's storage account: Entra ID only. Shared key is off, so no account key, connection string or
// account/service SAS works; that matters because role conditions (ABAC) are not evaluated for those.
param name string
param location string
param tags object

@description('Every container: the pipeline\'s, the deployment package\'s and Event Grid\'s dead letters.')
param containerNames string[]

@description('Days a deleted blob, an overwritten version or a deleted container can be restored.')
param softDeleteDays int

@description('Lock the account against deletion (CanNotDelete): the originals in raw/ exist nowhere else.')
param lock bool

@description('Event Grid\'s dead letters: kept 30 days (the scheduled run takes their files in from landing meanwhile).')
param deadLetterContainer string

@description('Years after their month\'s year that originals which may hold identity numbers are kept; the app\'s nightly RetainOriginals deletes them then, and the rule expire-personal-originals a little later should it not have.')
param originalsYears int

// The index tag the app writes on those originals (OriginalsRetention.PersonalTag).
var personalTagName = 'finsam-personal'
var personalTagValue = 'yes'

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    isHnsEnabled: false
    publicNetworkAccess: 'Enabled' // federations upload from their own networks
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for container in containerNames: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

// raw/ is rarely read: cool after 30 days. Originals tagged as possibly holding identity numbers (participant exports,
// files of no known kind, rejected files) are deleted by the app at the start of the year after their month's year plus
// originalsYears; the rule expire-personal-originals deletes any still there (originalsYears + 1) years and a month after
// they came in, never earlier than the app would, as a backstop. Ledgers and volume counts are kept. Versions that were overwritten or
// deleted expire after the soft-delete days everywhere except published/, where nothing is ever deleted by the
// platform: retention of published versions is the app's (finsam publish --keep-last/--keep-days).
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'raw-to-cool'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'raw/'
              ]
            }
            actions: {
              baseBlob: {
                tierToCool: {
                  daysAfterModificationGreaterThan: 30
                }
              }
            }
          }
        }
        {
          name: 'expire-personal-originals'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'raw/'
                'quarantine/'
              ]
              blobIndexMatch: [
                {
                  name: personalTagName
                  op: '=='
                  value: personalTagValue
                }
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: (originalsYears + 1) * 365 + 31
                }
              }
            }
          }
        }
        {
          name: 'expire-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: map(filter(containerNames, c => c != 'published'), c => '${c}/')
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: softDeleteDays
                }
              }
            }
          }
        }
        {
          name: 'expire-dead-letters'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${deadLetterContainer}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: 30
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    containers
  ]
}

// Blobs can still be written and deleted (the lock is on the account, not its data); deleting the account, or the
// resource group with it (azd down), is refused until someone removes the lock on purpose.
resource keepOriginals 'Microsoft.Authorization/locks@2020-05-01' = if (lock) {
  name: 'keep-originals'
  scope: storage
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the federations\' originals (raw/) and the published versions. Copy them before removing this lock (docs/deploy.md).'
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
