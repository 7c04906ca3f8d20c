#!/usr/bin/env bash
# The real Azure Functions host (Core Tools) running the app against Azurite, fed one Event Grid BlobCreated
# event for a sample file: the file must land in curated/. Runs on a GitHub-hosted runner (the workflow's
# functions-host job); it cannot run on the project's own machines, where Core Tools cannot be installed
# (its npm package downloads a binary at install time).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { kill "${azurite_pid:-}" "${func_pid:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

npm install --prefix "$work/tools" azurite@3.35.0 azure-functions-core-tools@4 --no-audit --no-fund --loglevel=error
"$work/tools/node_modules/.bin/azurite" --silent --skipApiVersionCheck --disableTelemetry --location "$work/azurite" &
azurite_pid=$!

dotnet publish functions/Finsam.Pipeline.Functions -c Release -o "$work/app"
key=$(openssl rand -base64 32)
jq --arg key "$key" '.Values["Finsam__Privacy__PseudonymKey"] = $key | .Values["Finsam__Models__WorkFolder"] = "'"$work"'/models"' \
  local.settings.sample.json > "$work/app/local.settings.json"

connection="UseDevelopmentStorage=true"
az storage container create --connection-string "$connection" --name landing >/dev/null
az storage container create --connection-string "$connection" --name reference >/dev/null
az storage blob upload-batch --connection-string "$connection" --destination reference --source samples/reference >/dev/null
file=aspdalen/2025-01/aspdalen_huvudbok_202501.se
az storage blob upload --connection-string "$connection" --container-name landing --name "$file" --file "samples/landing/$file" >/dev/null

(cd "$work/app" && "$work/tools/node_modules/.bin/func" start --port 7071) &
func_pid=$!
for _ in $(seq 1 60); do curl -fs http://localhost:7071/admin/host/status >/dev/null && break; sleep 2; done

event=$(jq -n --arg subject "/blobServices/default/containers/landing/blobs/$file" \
  --arg url "http://127.0.0.1:10000/devstoreaccount1/landing/$file" '[{
    id: "ci-1", eventType: "Microsoft.Storage.BlobCreated", subject: $subject,
    topic: "/subscriptions/ci/resourceGroups/ci/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
    eventTime: (now | todate), dataVersion: "", metadataVersion: "1",
    data: { api: "PutBlob", blobType: "BlockBlob", url: $url } }]')
curl -fsS -X POST -H "Content-Type: application/json" -H "aeg-event-type: Notification" \
  --data "$event" "http://localhost:7071/runtime/webhooks/blobs?functionName=Host.Functions.IngestLanding"

for _ in $(seq 1 60); do
  if az storage blob exists --connection-string "$connection" --container-name curated \
       --name "ledger/federation=aspdalen/period=2025-01/data.parquet" --query exists -o tsv | grep -q true; then
    echo "The Functions host ingested $file into curated/."
    exit 0
  fi
  sleep 2
done
echo "The Functions host did not ingest $file within 2 minutes." >&2
exit 1
