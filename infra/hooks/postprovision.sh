#!/bin/sh
# azd postprovision: remove the upload role of groups that upload for no federation any more; create the pseudonym key
# (Key Vault secret pseudonym-key) once, from 32 random bytes, then restart the app so that its Key Vault reference
# resolves (the app and its Key Vault role exist before the secret does).
# Never overwrite it: a new key gives every person a new pseudonym and breaks counts of unique individuals
# across time. Whoever runs azd may list secrets and set one (the custom role in infra/modules/roles.bicep),
# never read one back; only the app's identity reads the key.
set -eu

: "${AZURE_KEY_VAULT_NAME:?Run this through azd (azd provision or azd up): AZURE_KEY_VAULT_NAME is not set.}"
: "${AZURE_FUNCTION_APP_NAME:?Run this through azd: AZURE_FUNCTION_APP_NAME is not set.}"
: "${AZURE_RESOURCE_GROUP:?Run this through azd: AZURE_RESOURCE_GROUP is not set.}"
: "${AZURE_STORAGE_ACCOUNT_ID:?Run this through azd: AZURE_STORAGE_ACCOUNT_ID is not set.}"
: "${AZURE_STORAGE_ACCOUNT_NAME:?Run this through azd: AZURE_STORAGE_ACCOUNT_NAME is not set.}"
: "${FINSAM_FEDERATION_UPLOADER_ROLE_ID:?Run this through azd: FINSAM_FEDERATION_UPLOADER_ROLE_ID is not set.}"
: "${FINSAM_FEDERATION_UPLOADERS?Run this through azd: FINSAM_FEDERATION_UPLOADERS is not set.}"
secret_name=pseudonym-key

for tool in az openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "postprovision: $tool is needed (see docs/deploy.md)." >&2; exit 1; }
done

# Offboarding: a federation taken out of the federations parameter, or moved to another group, leaves its former
# group's assignment behind (a deployment adds and updates, never deletes). Remove each assignment of the uploader role
# on the storage account whose principal uploads for no federation listed now.
# Every az output is read without carriage returns: az on Windows ends its tsv lines with CR LF.
tab=$(printf '\t')
if ! uploads=$(az role assignment list --scope "$AZURE_STORAGE_ACCOUNT_ID" --role "$FINSAM_FEDERATION_UPLOADER_ROLE_ID" \
  --query "[].[id, principalId]" --output tsv); then
  echo "postprovision: could not list the upload roles on the storage account; nothing was changed." >&2
  exit 1
fi
stale=$(printf '%s\n' "$uploads" | tr -d '\r' |
  while IFS="$tab" read -r assignment principal; do
    [ -n "$assignment" ] || continue
    principal=$(printf '%s' "$principal" | tr '[:upper:]' '[:lower:]')
    case " $FINSAM_FEDERATION_UPLOADERS " in
      *" $principal "*) ;;
      *) printf '%s %s\n' "$assignment" "$principal" ;;
    esac
  done)
if [ -n "$stale" ]; then
  # The account's CanNotDelete lock refuses deleting role assignments on it too (ScopeLocked): lift it for the deletions
  # and put it back, whatever happens to them.
  lock=$(az lock list --resource-group "$AZURE_RESOURCE_GROUP" --resource "$AZURE_STORAGE_ACCOUNT_NAME" \
    --resource-type Microsoft.Storage/storageAccounts --query "[?name=='keep-originals'].name" --output tsv | tr -d '\r')
  if [ -n "$lock" ]; then
    az lock delete --name keep-originals --resource-group "$AZURE_RESOURCE_GROUP" --resource "$AZURE_STORAGE_ACCOUNT_NAME" \
      --resource-type Microsoft.Storage/storageAccounts --output none
  fi
  removed=true
  if ! printf '%s\n' "$stale" | while read -r assignment principal; do
      echo "postprovision: removing the upload role of $principal, which uploads for no federation listed ..."
      az role assignment delete --ids "$assignment" --output none || exit 1
    done; then
    removed=false
  fi
  if [ -n "$lock" ]; then
    az lock create --name keep-originals --lock-type CanNotDelete --resource-group "$AZURE_RESOURCE_GROUP" \
      --resource "$AZURE_STORAGE_ACCOUNT_NAME" --resource-type Microsoft.Storage/storageAccounts \
      --notes "Holds the federations' originals (raw/) and the published versions. Copy them before removing this lock (docs/deploy.md)." --output none
  fi
  if [ "$removed" != true ]; then
    echo "postprovision: an upload role could not be removed (above); the storage lock is back. Run 'azd hooks run postprovision' again." >&2
    exit 1
  fi
fi

# A new role assignment takes a few minutes to reach Key Vault: retry the listing, and never take a failed listing
# for an empty vault.
attempt=1
until names=$(az keyvault secret list --vault-name "$AZURE_KEY_VAULT_NAME" --query "[].name" --output tsv); do
  if [ "$attempt" -ge 10 ]; then
    echo "postprovision: could not list the secrets of $AZURE_KEY_VAULT_NAME; nothing was changed. Run 'azd hooks run postprovision' again in a few minutes." >&2
    exit 1
  fi
  echo "postprovision: waiting for the role assignment to reach Key Vault ($attempt/10) ..."
  attempt=$((attempt + 1))
  sleep 30
done

if printf '%s\n' "$names" | tr -d '\r' | grep -qx "$secret_name"; then
  echo "postprovision: $AZURE_KEY_VAULT_NAME already holds $secret_name; it is kept as it is."
  exit 0
fi

key=$(openssl rand -base64 32)
if [ "${#key}" -ne 44 ]; then
  echo "postprovision: openssl did not give 32 random bytes; nothing was changed." >&2
  exit 1
fi

echo "postprovision: creating $secret_name in $AZURE_KEY_VAULT_NAME (32 random bytes, base64) ..."
if ! az keyvault secret set --vault-name "$AZURE_KEY_VAULT_NAME" --name "$secret_name" --value "$key" \
  --content-type "base64; HMAC-SHA-256 pseudonym key" --output none; then
  echo "postprovision: could not create $secret_name. If Key Vault says it is deleted but recoverable, recover it (az keyvault secret recover) instead of making a new one: the old key keeps every pseudonym." >&2
  exit 1
fi
key=
echo "postprovision: created $secret_name. Keep it for the life of the data; never set it again."

# The app was created with a Key Vault reference to a secret that did not exist yet; a restart makes it resolve the
# reference now, instead of starting on the reference's literal text (which the app refuses) until the next refresh.
echo "postprovision: restarting $AZURE_FUNCTION_APP_NAME so that it reads $secret_name ..."
if ! az functionapp restart --name "$AZURE_FUNCTION_APP_NAME" --resource-group "$AZURE_RESOURCE_GROUP" --output none; then
  echo "postprovision: could not restart $AZURE_FUNCTION_APP_NAME; $secret_name exists. Restart the app (in the portal, or with the Azure CLI's functionapp restart) before its first files arrive." >&2
  exit 1
fi
