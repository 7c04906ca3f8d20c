#!/usr/bin/env bash
# The README's test command: installs what the tests need, runs every test, ends with "N passed, N failed".
#
#   ./test.sh                                     # from any folder
#   ./test.sh --filter "FullyQualifiedName~Cli"   # extra arguments go to dotnet test
#
# Installs, each only when it is missing (so nothing twice):
#   - Azurite, the Azure Blob Storage emulator, from npm into .tools/azurite (AZURITE_BLOB points at another);
#   - Debian's chromium package for the report test, with apt-get as root or with sudo
#     (FINSAM_CHROMIUM points the test at another Chromium or Chrome instead);
#   - Debian's shellcheck package for the test that checks the azd hooks in infra/hooks/;
#   - Debian's python3-openpyxl package for the test that reads the members' workbook as pandas does;
#   - Debian's azure-cli package for the test that runs every az command of the hooks and docs (about 100 s).
# Needs the .NET 10 SDK and Node.js 20+ with npm.
set -euo pipefail
cd "$(dirname "$0")"

# Pinned: newer needs Node 22. The same version as AzuriteFixture.Version, which installs it the same way.
azurite_version=3.35.0

# Stops before the tests with what to do, and a closing line that counts the run as failed.
stop() {
  echo "test.sh: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

# apt-get as root, else through sudo when it needs no password; otherwise stops and says what to install.
install_debian_package() {
  local package=$1 why=$2
  local -a as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      stop "${why^} needs Debian's $package package. Install it (sudo apt-get install $package) and run ./test.sh again."
    fi
  fi
  command -v apt-get >/dev/null || stop "${why^} needs $package, and there is no apt-get here. Install $package and run ./test.sh again."
  echo "Installing Debian's $package package for $why..."
  local log
  log=$(mktemp)
  if ! { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    stop "apt-get could not install $package (above). Install it and run ./test.sh again."
  fi
  rm -f "$log"
}

# Azurite for the integration tests against Azure Blob Storage.
if [ -z "${AZURITE_BLOB:-}" ] && [ ! -x .tools/azurite/node_modules/.bin/azurite-blob ]; then
  command -v npm >/dev/null || stop "The Azurite tests need Node.js 20 or later with npm. Install Node.js and run ./test.sh again."
  echo "Installing Azurite $azurite_version from npm into .tools/azurite..."
  npm install --prefix .tools/azurite "azurite@$azurite_version" --no-audit --no-fund --loglevel=error \
    || stop "npm could not install azurite@$azurite_version (above)."
fi

# Chromium for the test that renders the HTML report headless.
if [ -n "${FINSAM_CHROMIUM:-}" ]; then
  [ -x "$FINSAM_CHROMIUM" ] || stop "FINSAM_CHROMIUM is $FINSAM_CHROMIUM, which is not an executable file. Point it at Chromium or Chrome, or unset it to use Debian's chromium."
elif [ ! -x /usr/bin/chromium ]; then
  install_debian_package chromium "the report test"
fi

# Debian's shellcheck for the tests that check the shell scripts and the azd hooks.
if ! command -v shellcheck >/dev/null; then
  install_debian_package shellcheck "the infrastructure tests"
fi

# Debian's openpyxl, the reader pandas.read_excel uses, for the test that reads the members' workbook with it.
if ! /usr/bin/python3 -c "import openpyxl" 2>/dev/null; then
  install_debian_package python3-openpyxl "the workbook test"
fi

# Debian's azure-cli for the test that parses every az command line of infra/hooks/ and docs/ with the real CLI.
if [ ! -x /usr/bin/az ]; then
  install_debian_package azure-cli "the az command tests"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Finsam.Pipeline.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test ends each test assembly with a summary line such as
#   Passed!  - Failed:     0, Passed:   113, Skipped:     0, Total:   113, Duration: 7 s - X.dll (net10.0)
counts=$(awk '/^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+,/ { failed += $4; passed += $6 } END { print passed + 0, failed + 0 }' "$log")
read -r passed failed <<<"$counts"
# A build error or a crashed test host fails the run without a summary line: count it as one failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$status" -eq 0 ] && [ "$failed" -ne 0 ]; then status=1; fi
echo "$passed passed, $failed failed"
exit "$status"
