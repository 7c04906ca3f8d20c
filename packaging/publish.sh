#!/usr/bin/env bash
# Builds `finsam` as self-contained single-file binaries, for people without .NET (a federation's
# finance officer on a Windows laptop), and packs each with its SHA-256:
#
#   packaging/publish.sh [--out DIR] [RID ...]      # default: dist/, linux-x64 and win-x64
#
# For each RID: DIR/RID/ holds finsam (finsam.exe on Windows), DuckDB's native library beside it
# (libduckdb.so, duckdb.dll), the sample exports (samples/), the SQL models (queries/) and the guide
# for federations (federations.md); DIR/finsam-VERSION-RID.tar.gz (.zip for Windows) holds that folder
# as finsam-VERSION-RID/, and DIR/SHA256SUMS lists the archives' SHA-256 (sha256sum -c SHA256SUMS).
# VERSION is $VERSION, else the project's version. Needs the .NET 10 SDK, tar, and zip for Windows.
#
# Not trimmed: the core reaches Parquet.Net internals by reflection (Curated/ParquetColumnJoin.cs).
# The native library stays beside the binary instead of inside it: nothing is extracted to a
# temporary folder at start (which some Windows machines forbid), and the archives are no bigger.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

out=$root/dist
if [ "${1:-}" = "--out" ]; then
  [ -n "${2:-}" ] || { echo "publish.sh: --out needs a folder" >&2; exit 2; }
  mkdir -p "$2"
  out=$(cd "$2" && pwd)
  shift 2
fi
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 win-x64)

project=$root/functions/Finsam.Cli/Finsam.Cli.csproj
version=${VERSION:-$(dotnet msbuild "$project" -getProperty:Version)}
mkdir -p "$out"
archives=()
for rid in "${rids[@]}"; do
  name=finsam-$version-$rid
  echo "Publishing $name..."
  rm -rf "${out:?}/$rid"
  dotnet publish "$project" -c Release -r "$rid" --self-contained -p:PublishSingleFile=true \
    -p:DebugType=embedded -p:Version="$version" -o "$out/$rid"
  cp "$root/docs/federations.md" "$out/$rid/"

  # The archive holds the folder under the release's name, so that unpacking never scatters files.
  staging=$(mktemp -d)
  cp -R "$out/$rid" "$staging/$name"
  case $rid in
    win-*)
      command -v zip >/dev/null || { echo "publish.sh: zip is needed for the Windows archive (apt-get install zip)" >&2; exit 1; }
      archive=$name.zip
      rm -f "$out/$archive"
      (cd "$staging" && zip -qr -X "$out/$archive" "$name") ;;
    *)
      archive=$name.tar.gz
      tar -C "$staging" -czf "$out/$archive" --owner=0 --group=0 "$name" ;;
  esac
  rm -rf "$staging"
  archives+=("$archive")
done

(cd "$out" && sha256sum "${archives[@]}" > SHA256SUMS)
echo "Wrote to $out:"
(cd "$out" && ls -l "${archives[@]}" SHA256SUMS && cat SHA256SUMS)
