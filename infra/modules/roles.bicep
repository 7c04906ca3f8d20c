// Every role assignment of the deployment, with every role id named once (builtInRoles and the two custom roles;
// a custom role is created in the resource group but, like every role definition, is addressed at subscription level).
// The app's identity owns the data; everyone else gets a data role only with a condition (ABAC, version 2.0):
// - a federation: writes only landing/{id}/, reads and lists only landing/{id}/ and quarantine/{id}/;
// - the members' group: reads and lists only published/kpi/;
// - the controllers' group: reads curated/, published/ and the reports in quarantine/ (never the rejected files, which
//   may hold identity numbers), and maintains reference/;
// - Event Grid: writes only its dead letters.
// Federations get a custom role with data actions only: Storage Blob Data Contributor also carries the control actions
// containers/write and containers/delete, which no condition can limit (a federation could delete published/).
import { federationAccess } from '../types.bicep'

param storageAccountName string
param keyVaultName string
param applicationInsightsName string
param appPrincipalId string
param eventGridPrincipalId string
param deadLetterContainer string
param federations federationAccess[]
param membersGroupId string
param controllerGroupId string
param deployerPrincipalId string
param deployerPrincipalType string

var builtInRoles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Condition building blocks (Azure Storage attributes; see docs/deploy.md).
var blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs'
var containerName = '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]'
var blobPath = '@Resource[${blobs}:path]'
var listPrefix = '@Request[${blobs}:prefix]'
var notWriting = '!(ActionMatches{\'${blobs}/write\'}) AND !(ActionMatches{\'${blobs}/add/action\'})'
var notDeleting = '!(ActionMatches{\'${blobs}/delete\'}) AND !(ActionMatches{\'${blobs}/move/action\'})'
var notReading = '!(ActionMatches{\'${blobs}/read\'} AND NOT SubOperationMatches{\'Blob.List\'})'
var notListing = '!(ActionMatches{\'${blobs}/read\'} AND SubOperationMatches{\'Blob.List\'})'
var noBlobAction = '${notWriting} AND ${notDeleting} AND ${notReading} AND ${notListing}'

// A federation id becomes part of a condition: only the shape reference/federations.csv allows (a-z, 0-9, -).
var federationIdCharacters = 'abcdefghijklmnopqrstuvwxyz0123456789-'
var allFederationIdCharacters = join(map(federations, f => f.id), '')
var federationIdsValid = empty(filter(
  range(0, length(allFederationIdCharacters)),
  i => !contains(federationIdCharacters, substring(allFederationIdCharacters, i, 1))
)) && empty(filter(federations, f => startsWith(f.id, '-')))

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource federationUploader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'finsam-federation-uploader')
  properties: {
    roleName: 'Finsam federation uploader (${resourceGroup().name}, ${subscription().subscriptionId})' // unique in the tenant
    description: 'Read, write and append blobs; no container and no delete rights. Assigned only with a condition that names the federation\'s own folders.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          '${blobs}/read'
          '${blobs}/write'
          '${blobs}/add/action'
        ]
        notDataActions: []
      }
    ]
  }
}

resource pseudonymKeyCreator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'finsam-pseudonym-key-creator')
  properties: {
    roleName: 'Finsam pseudonym key creator (${resourceGroup().name}, ${subscription().subscriptionId})'
    description: 'List secrets and set a secret, never read one: whoever runs azd creates the pseudonym key once and cannot read it back.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.KeyVault/vaults/secrets/readMetadata/action'
          'Microsoft.KeyVault/vaults/secrets/setSecret/action'
        ]
        notDataActions: []
      }
    ]
  }
}

// The app: the pipeline itself, the Functions host's storage and the blob trigger (blobs and its poison queue).
resource appBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, builtInRoles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, builtInRoles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageQueueDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, builtInRoles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.keyVaultSecretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, builtInRoles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// One assignment per uploading principal, named by the principal (the same name on every deployment): Azure keeps one
// assignment of a role per principal and scope, so a group that uploads for two federations gets one condition that
// names both prefixes. An assignment of a principal no longer listed is removed by the postprovision hook.
var uploaders = union(map(federations, f => toLower(f.principalId)), [])

resource federationLanding 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in uploaders: {
    name: guid(storage.id, principalId, federationUploader.name)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', federationUploader.name)
      principalId: principalId
      principalType: first(filter(federations, f => toLower(f.principalId) == principalId)).?principalType ?? 'Group'
      description: 'Uploads for ${join(map(filter(federations, f => toLower(f.principalId) == principalId), f => f.id), ', ')}: writes under landing/{id}/, reads landing/{id}/ and quarantine/{id}/ only.'
      conditionVersion: '2.0'
      condition: federationIdsValid
        ? '((${notWriting}) OR (${containerName} StringEquals \'landing\' AND (${join(map(filter(federations, f => toLower(f.principalId) == principalId), f => '${blobPath} StringStartsWith \'${f.id}/\''), ' OR ')}))) AND ((${notReading}) OR ((${containerName} StringEquals \'landing\' OR ${containerName} StringEquals \'quarantine\') AND (${join(map(filter(federations, f => toLower(f.principalId) == principalId), f => '${blobPath} StringStartsWith \'${f.id}/\''), ' OR ')}))) AND ((${notListing}) OR ((${containerName} StringEquals \'landing\' OR ${containerName} StringEquals \'quarantine\') AND (${join(map(filter(federations, f => toLower(f.principalId) == principalId), f => '${listPrefix} StringStartsWith \'${f.id}/\''), ' OR ')})))'
        : fail('Federation ids are lowercase letters, digits and hyphens, as federation_id in reference/federations.csv.')
    }
  }
]

resource membersKpiReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(membersGroupId)) {
  name: guid(storage.id, membersGroupId, builtInRoles.storageBlobDataReader)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataReader)
    principalId: membersGroupId
    principalType: 'Group'
    description: 'Members: read published/kpi/ only.'
    conditionVersion: '2.0'
    condition: '((${notReading}) OR (${containerName} StringEquals \'published\' AND ${blobPath} StringStartsWith \'kpi/\')) AND ((${notListing}) OR (${containerName} StringEquals \'published\' AND ${listPrefix} StringStartsWith \'kpi/\'))'
  }
}

resource controllerReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(controllerGroupId)) {
  name: guid(storage.id, controllerGroupId, builtInRoles.storageBlobDataReader)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataReader)
    principalId: controllerGroupId
    principalType: 'Group'
    description: 'Controller: read curated/, published/ and the reports in quarantine/.'
    conditionVersion: '2.0'
    condition: '((${notReading}) OR (${containerName} StringEquals \'curated\') OR (${containerName} StringEquals \'published\') OR (${containerName} StringEquals \'quarantine\' AND (${blobPath} StringLike \'*.report.json\' OR ${blobPath} StringLike \'*.report.txt\'))) AND ((${notListing}) OR (${containerName} StringEquals \'curated\') OR (${containerName} StringEquals \'published\') OR (${containerName} StringEquals \'quarantine\'))'
  }
}

resource controllerReference 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(controllerGroupId)) {
  name: guid(storage.id, controllerGroupId, builtInRoles.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataContributor)
    principalId: controllerGroupId
    principalType: 'Group'
    description: 'Controller: maintain reference/.'
    conditionVersion: '2.0'
    condition: '((${noBlobAction}) OR (${containerName} StringEquals \'reference\'))'
  }
}

resource eventGridDeadLetters 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, eventGridPrincipalId, builtInRoles.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataContributor)
    principalId: eventGridPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Event Grid: write undeliverable events to the dead-letter container.'
    conditionVersion: '2.0'
    condition: '((${noBlobAction}) OR (${containerName} StringEquals \'${deadLetterContainer}\'))'
  }
}

resource deployerKeyCreator 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, pseudonymKeyCreator.name)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', pseudonymKeyCreator.name)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    description: 'Whoever runs azd: create the pseudonym key once (infra/hooks/postprovision.sh); never read it.'
  }
}

@description('The federation uploader role\'s id (a GUID), for the postprovision hook\'s clean-up of assignments no longer listed.')
output federationUploaderRoleId string = federationUploader.name

@description('The object ids of the principals that upload for a federation, lowercase, separated by spaces.')
output federationUploaders string = join(uploaders, ' ')
