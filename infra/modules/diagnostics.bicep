// Audit and platform logs to Log Analytics (the workspace of monitoring.bicep, with its daily cap):
// - the storage account's blob service: every write and delete (who uploaded to landing/, who changed reference/). Reads
//   are left out: the app's own reads of curated/ would fill the workspace's daily cap and stop the logs the alerts read.
//   These logs name each blob as the federation named it, unmasked; only the subscription's owners read the workspace;
// - Key Vault: AuditEvent (every access to the pseudonym key);
// - the Functions app: FunctionAppLogs (the platform's log of the host);
// - the Event Grid system topic: DeliveryFailures (events it could not hand to the blob trigger).
// The app's own logs and exceptions reach the same workspace through Application Insights (AppTraces, AppExceptions).
param logAnalyticsName string
param storageAccountName string
param keyVaultName string
param functionAppName string
param systemTopicName string

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: logAnalyticsName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' existing = {
  parent: storage
  name: 'default'
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

// diagnosticSettings: 2021-05-01-preview is the version for a setting on a resource; the only later stable one,
// 2016-09-01, is the old subscription-level form (the linter's use-recent-api-versions cannot tell them apart).
#disable-next-line use-recent-api-versions
resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'blob-audit'
  scope: blobService
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}

#disable-next-line use-recent-api-versions
resource vaultLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'key-audit'
  scope: vault
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

#disable-next-line use-recent-api-versions
resource appLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'app-logs'
  scope: app
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

#disable-next-line use-recent-api-versions
resource topicLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'delivery-failures'
  scope: topic
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'DeliveryFailures'
        enabled: true
      }
    ]
  }
}
