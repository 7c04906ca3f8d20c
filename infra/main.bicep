// Finsam.Pipeline on Azure: everything `azd up` provisions (see docs/deploy.md).
// Subscription scope: the resource group and one module per concern; every role assignment is in modules/roles.bicep.
// Nothing here holds a key or a connection string: the app, the hooks and every person authenticate with Entra ID.
targetScope = 'subscription'

import { federationAccess } from 'types.bicep'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment (e.g. prod); part of the resource group name and of the token in every resource name.')
param environmentName string

@description('Azure region of every resource. Sweden Central (the default) keeps participant data in Sweden; North and West Europe keep it in the EU, a choice for the controller and the data protection officer (docs/deploy.md). Each offers Flex Consumption: az functionapp list-flexconsumption-locations.')
@allowed([
  'swedencentral'
  'northeurope'
  'westeurope'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = 'swedencentral'

@description('Object id of whoever runs azd (AZURE_PRINCIPAL_ID). It may create the pseudonym key once, never read it; empty: no such right.')
param principalId string = ''

@description('User when a person runs azd, ServicePrincipal in a pipeline.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('The federations and the Entra group of each one\'s staff: each may write only landing/{id}/ and read its own landing/{id}/ and quarantine/{id}/.')
param federations federationAccess[] = []

@description('Object id of the Entra group of the members (region, municipalities, FK, AF): read published/kpi/ only. Empty: none.')
param membersGroupId string = ''

@description('Object id of the Entra group of the joint controller function: reads curated/, published/ and the reports in quarantine/, maintains reference/. Empty: none.')
param controllerGroupId string = ''

@description('The most instances the Flex Consumption plan may run at once: 40 is the lowest maximum Flex Consumption takes.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('The most gigabytes a day Log Analytics ingests (telemetry and audit logs); past it, collection stops until the next day.')
@minValue(1)
@maxValue(100)
param logAnalyticsDailyCapGb int = 1

@description('Years after their month\'s year that originals which may hold identity numbers are kept (participant exports in raw/, rejected files in quarantine/): the controller\'s decision with the data protection officer (docs/operations.md). 100 keeps them.')
@minValue(0)
@maxValue(100)
param originalsYears int = 1

@description('Day of the month by which each federation has delivered the month before; from then on the federation-late alert names those that have not.')
@minValue(1)
@maxValue(28)
param deliveryDueDay int = 10

@description('The controller function\'s mailbox for alerts (a file that failed, an event dead-lettered, a build, release or refused release, a federation late with its month); empty: no alerts, only the logs.')
param alertEmail string = ''

@description('A CanNotDelete lock on the storage account, so that azd down or a slip in the portal cannot delete the originals in raw/ (docs/deploy.md says how to remove it on purpose).')
param lockStorage bool = true

@description('Days a deleted blob, an overwritten version or a deleted container can be restored.')
@minValue(1)
@maxValue(365)
param softDeleteDays int = 30

@description('When build-and-publish runs: a six-field NCRONTAB expression (the app setting BUILD_SCHEDULE).')
param buildSchedule string = '0 */10 * * * *'

@description('When a member release of the kpi dataset is cut: a six-field NCRONTAB expression (the app setting RELEASE_SCHEDULE); default 06:00 UTC on the 15th.')
param releaseSchedule string = '0 0 6 15 * *'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'finsam-pipeline'
}
var names = {
  resourceGroup: 'rg-finsam-${environmentName}'
  identity: 'finsam-app-${resourceToken}'
  logAnalytics: 'finsam-log-${resourceToken}'
  applicationInsights: 'finsam-appi-${resourceToken}'
  storage: 'finsam${resourceToken}'
  keyVault: 'finsam-kv-${take(resourceToken, 13)}'
  plan: 'finsam-plan-${resourceToken}'
  functionApp: 'finsam-${resourceToken}'
  systemTopic: 'finsam-storage-events-${resourceToken}'
}

// The pipeline's containers (Finsam.Pipeline.Storage.Containers), in the order data flows through them.
var pipelineContainers = [
  'landing'
  'raw'
  'curated'
  'quarantine'
  'reference'
  'published'
]
var deploymentContainer = 'app-package'
var deadLetterContainer = 'eventgrid-deadletter'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
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
    dailyCapGb: logAnalyticsDailyCapGb
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    containerNames: concat(pipelineContainers, [deploymentContainer, deadLetterContainer])
    softDeleteDays: softDeleteDays
    lock: lockStorage
    deadLetterContainer: deadLetterContainer
    originalsYears: originalsYears
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
  }
}

module events 'modules/events.bicep' = {
  name: 'events'
  scope: rg
  params: {
    name: names.systemTopic
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
  }
}

module app 'modules/app.bicep' = {
  name: 'app'
  scope: rg
  params: {
    planName: names.plan
    name: names.functionApp
    location: location
    tags: tags
    identityName: identity.outputs.name
    storageAccountName: storage.outputs.name
    deploymentContainer: deploymentContainer
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    maximumInstanceCount: maximumInstanceCount
    buildSchedule: buildSchedule
    releaseSchedule: releaseSchedule
    originalsYears: originalsYears
    deliveryDueDay: deliveryDueDay
  }
  // The app's roles (Key Vault Secrets User above all) exist before the app starts and resolves its Key Vault reference.
  dependsOn: [
    roles
  ]
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    eventGridPrincipalId: events.outputs.principalId
    deadLetterContainer: deadLetterContainer
    federations: federations
    membersGroupId: membersGroupId
    controllerGroupId: controllerGroupId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module diagnostics 'modules/diagnostics.bicep' = {
  name: 'diagnostics'
  scope: rg
  params: {
    logAnalyticsName: monitoring.outputs.logAnalyticsName
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    functionAppName: app.outputs.name
    systemTopicName: events.outputs.name
  }
}

module alerts 'modules/alerts.bicep' = if (!empty(alertEmail)) {
  name: 'alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: monitoring.outputs.logAnalyticsName
    systemTopicName: events.outputs.name
    alertEmail: alertEmail
  }
}

// Read by azd and the hooks (infra/hooks/*.sh) from the environment.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_ACCOUNT_ID string = storage.outputs.id
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output EVENT_GRID_SYSTEM_TOPIC_NAME string = events.outputs.name
output EVENT_GRID_DEADLETTER_CONTAINER string = deadLetterContainer
output FINSAM_STORAGE_ACCOUNT_URL string = storage.outputs.blobEndpoint
output FINSAM_FEDERATION_UPLOADER_ROLE_ID string = roles.outputs.federationUploaderRoleId
output FINSAM_FEDERATION_UPLOADERS string = roles.outputs.federationUploaders
