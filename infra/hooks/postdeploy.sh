#!/bin/sh
# azd postdeploy: subscribe the blob trigger IngestLanding to the storage account's Event Grid system topic.
# This runs after the code is deployed because the webhook's blobs_extension system key exists only once the app
# runs, and Event Grid validates the endpoint when the subscription is made. Creating it again updates it.
# Only final writes under landing/ are delivered: a block blob upload raises BlobCreated once, at PutBlockList
# (or PutBlob for a small file), a server-side copy at CopyBlob, a Data Lake upload at FlushWithClose.
set -eu

: "${AZURE_RESOURCE_GROUP:?Run this through azd (azd deploy or azd up): AZURE_RESOURCE_GROUP is not set.}"
: "${AZURE_FUNCTION_APP_NAME:?Run this through azd: AZURE_FUNCTION_APP_NAME is not set.}"
: "${AZURE_STORAGE_ACCOUNT_ID:?Run this through azd: AZURE_STORAGE_ACCOUNT_ID is not set.}"
: "${EVENT_GRID_SYSTEM_TOPIC_NAME:?Run this through azd: EVENT_GRID_SYSTEM_TOPIC_NAME is not set.}"
: "${EVENT_GRID_DEADLETTER_CONTAINER:?Run this through azd: EVENT_GRID_DEADLETTER_CONTAINER is not set.}"

subscription_name=landing-to-ingest
function_name=IngestLanding

command -v az >/dev/null 2>&1 || { echo "postdeploy: the Azure CLI (az) is needed (see docs/deploy.md)." >&2; exit 1; }

# The system key appears once the host has started with the blob trigger: wait for it.
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

host=$(az functionapp show --name "$AZURE_FUNCTION_APP_NAME" --resource-group "$AZURE_RESOURCE_GROUP" \
  --query defaultHostName --output tsv)
endpoint="https://${host}/runtime/webhooks/blobs?functionName=Host.Functions.${function_name}&code=${key}"

echo "postdeploy: subscribing $function_name to final writes under landing/ ..."
az eventgrid system-topic event-subscription create \
  --name "$subscription_name" \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$EVENT_GRID_SYSTEM_TOPIC_NAME" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with /blobServices/default/containers/landing/ \
  --advanced-filter data.api StringIn PutBlob PutBlockList CopyBlob FlushWithClose \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --deadletter-identity systemassigned \
  --deadletter-identity-endpoint "${AZURE_STORAGE_ACCOUNT_ID}/blobServices/default/containers/${EVENT_GRID_DEADLETTER_CONTAINER}" \
  --output none
echo "postdeploy: $subscription_name delivers to $function_name; undeliverable events go to ${EVENT_GRID_DEADLETTER_CONTAINER}/."
