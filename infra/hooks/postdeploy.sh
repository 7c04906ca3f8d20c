#!/bin/sh
# azd postdeploy: subscribe the blob trigger IngestLanding to the storage account's Event Grid system topic.
# This runs after the code is deployed because the webhook's blobs_extension system key exists only once the app
# runs, and Event Grid validates the endpoint when the subscription is made. The subscription is an ARM resource
# (subscription.bicep beside this hook), deployed with az deployment group create: its dead-letter container is written
# by the system topic's identity, which az eventgrid cannot set up. Deploying it again updates it.
set -eu

: "${AZURE_RESOURCE_GROUP:?Run this through azd (azd deploy or azd up): AZURE_RESOURCE_GROUP is not set.}"
: "${AZURE_FUNCTION_APP_NAME:?Run this through azd: AZURE_FUNCTION_APP_NAME is not set.}"
: "${AZURE_STORAGE_ACCOUNT_NAME:?Run this through azd: AZURE_STORAGE_ACCOUNT_NAME is not set.}"
: "${EVENT_GRID_SYSTEM_TOPIC_NAME:?Run this through azd: EVENT_GRID_SYSTEM_TOPIC_NAME is not set.}"
: "${EVENT_GRID_DEADLETTER_CONTAINER:?Run this through azd: EVENT_GRID_DEADLETTER_CONTAINER is not set.}"

function_name=IngestLanding
template="$(dirname "$0")/subscription.bicep"

command -v az >/dev/null 2>&1 || { echo "postdeploy: the Azure CLI (az) is needed (see docs/deploy.md)." >&2; exit 1; }

# The system key appears once the host has started with the blob trigger: wait for it. Its value stays in Azure (the
# template reads it at deployment); here it is only checked for.
attempt=1
until key=$(az functionapp keys list --name "$AZURE_FUNCTION_APP_NAME" --resource-group "$AZURE_RESOURCE_GROUP" \
  --query "systemKeys.blobs_extension" --output tsv) && [ -n "$key" ]; do
  if [ "$attempt" -ge 10 ]; then
    echo "postdeploy: $AZURE_FUNCTION_APP_NAME has no blobs_extension key yet; is the app running? Run 'azd hooks run postdeploy' again once it is." >&2
    exit 1
  fi
  echo "postdeploy: waiting for the app's blobs_extension key ($attempt/10) ..."
  attempt=$((attempt + 1))
  sleep 30
done
key=

echo "postdeploy: subscribing $function_name to final writes under landing/ ..."
az deployment group create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --name landing-to-ingest \
  --template-file "$template" \
  --parameters systemTopicName="$EVENT_GRID_SYSTEM_TOPIC_NAME" functionAppName="$AZURE_FUNCTION_APP_NAME" \
    storageAccountName="$AZURE_STORAGE_ACCOUNT_NAME" deadLetterContainer="$EVENT_GRID_DEADLETTER_CONTAINER" \
  --output none
echo "postdeploy: landing-to-ingest delivers to $function_name; undeliverable events go to ${EVENT_GRID_DEADLETTER_CONTAINER}/."
