// What tells the controller function that something needs a person: an action group that mails alertEmail, and one
// rule per event. The log rules read the app's logs in Log Analytics (AppTraces, AppExceptions, through Application
// Insights); the words they look for are the app's own (the infrastructure tests check each against the code).
param location string
param tags object
param logAnalyticsName string
param systemTopicName string

@description('Where alerts are mailed: the controller function\'s shared mailbox.')
param alertEmail string

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: logAnalyticsName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource controllers 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'finsam-controllers'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'finsam'
    enabled: true
    emailReceivers: [
      {
        name: 'controller-function'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Each log rule: a query, how often it runs and over which window; it fires when the query returns any row.
var logRules = [
  {
    name: 'ingestion-failed'
    description: 'A landing file could not be processed (not a contract error: those are quarantined): an exception of IngestLanding, or a file given up after its attempts. It stays in landing; see docs/operations.md.'
    severity: 2
    frequency: 'PT15M'
    query: 'union (AppExceptions | where OperationName == \'IngestLanding\'), (AppTraces | where Message has \'given up after\')'
  }
  {
    name: 'build-failed'
    description: 'A build or release published nothing: an assertion failed, or the job threw.'
    severity: 2
    frequency: 'PT15M'
    query: 'union (AppTraces | where SeverityLevel >= 3 and Message has \'nothing is published\'), (AppExceptions | where OperationName in (\'BuildAndPublish\', \'ReleaseKpi\') and not(tostring(Details) has \'small-count audit failed\' or InnermostMessage has \'small-count audit failed\'))'
  }
  {
    name: 'release-refused'
    description: 'A member release was refused: the small-count audit failed, so the members keep the previous release.'
    severity: 1
    frequency: 'PT15M'
    query: 'AppExceptions | where OperationName == \'ReleaseKpi\' and (tostring(Details) has \'small-count audit failed\' or InnermostMessage has \'small-count audit failed\')'
  }
  {
    name: 'federation-late'
    description: 'A federation that has delivered before has no accepted file for last month by the due day (DeliveryReminder, every morning).'
    severity: 3
    frequency: 'P1D'
    query: 'AppTraces | where Message has \'has no accepted file for\''
  }
]

resource logAlerts 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for rule in logRules: {
    name: 'finsam-${rule.name}'
    location: location
    tags: tags
    properties: {
      displayName: 'Finsam: ${rule.name}'
      description: rule.description
      severity: rule.severity
      enabled: true
      evaluationFrequency: rule.frequency
      windowSize: rule.frequency
      scopes: [
        logAnalytics.id
      ]
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: false
      // A failure that stays (an assertion fails on every tick) mails once in six hours, not every quarter.
      muteActionsDuration: rule.frequency == 'P1D' ? null : 'PT6H'
      actions: {
        actionGroups: [
          controllers.id
        ]
      }
    }
  }
]

resource deadLettered 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: 'finsam-event-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Event Grid gave up delivering a landing event to the blob trigger (24 hours of failures). The file stays in landing and the scheduled run takes it in; find out why delivery failed (the app down, the webhook key changed).'
    severity: 2
    enabled: true
    scopes: [
      topic.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'dead-lettered'
          metricName: 'DeadLetteredCount'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    actions: [
      {
        actionGroupId: controllers.id
      }
    ]
  }
}
