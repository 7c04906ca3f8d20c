// The Flex Consumption plan and the Functions app (functions/Finsam.Pipeline.Functions, azd service "pipeline").
// Every setting the app reads is named in Finsam.Pipeline.Configuration.FinsamSettings; the infrastructure tests
// check that the names set here are among them (or platform settings) and that none holds a key.
param planName string
param name string
param location string
param tags object
param identityName string
param storageAccountName string
param deploymentContainer string
param applicationInsightsName string
param keyVaultName string
param maximumInstanceCount int
param buildSchedule string
param releaseSchedule string
param originalsYears int
param deliveryDueDay int

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'pipeline' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0' // Flex Consumption rejects '10'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // The pipeline's storage connection (FinsamSettings.StorageConnection) by identity; the blob trigger uses it too.
    FinsamStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    FinsamStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    FinsamStorage__credential: 'managedidentity'
    FinsamStorage__clientId: identity.properties.clientId
    BUILD_SCHEDULE: buildSchedule
    RELEASE_SCHEDULE: releaseSchedule
    // Set here so that a provision never drops them (this resource replaces every app setting).
    Finsam__Privacy__OriginalsYears: string(originalsYears)
    Finsam__Publishing__DeliveryDueDay: string(deliveryDueDay)
    // Resolved by the platform with keyVaultReferenceIdentity; the value never appears in a template or a setting.
    Finsam__Privacy__PseudonymKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=pseudonym-key)'
    // The Functions host's own storage (leases, blob receipts, poison queue), by the same identity.
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    // Local authentication is off on Application Insights: the connection string only locates it, the identity signs in.
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  }
}

output name string = app.name
