#!/usr/bin/env bash
# Writes a synthetic legacy-format Wsyncmgr.log of about SIZE_MB megabytes to OUT:
# the lines of the shared vector s3 (no legacy sync) repeated, a healthy legacy sync
# session (s4 lines 13-24) every 10 MB, and the failing session of s1 at the very end,
# so the expected verdict is `affected` with one `history`-free decision at the end.
# Usage: bench/gen-wsyncmgr.sh OUT [SIZE_MB]
set -euo pipefail
out=${1:?usage: gen-wsyncmgr.sh OUT [SIZE_MB]}
size_mb=${2:-200}
here="$(cd "$(dirname "$0")" && pwd)"
logs="$here/../../shared/logs"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# About 1 MiB of noise: s3 is 1,931 bytes, 14 CRLF lines.
for _ in $(seq 1 543); do cat "$logs/s3-no-legacy-sync.log"; done >"$tmp/block"
sed -n '13,24p' "$logs/s4-fixed-later.log" >"$tmp/healthy"
tail -c +4 "$logs/s1-legacy-utf8bom-affected.log" >"$tmp/symptom" # without the BOM

{
  for i in $(seq 1 "$size_mb"); do
    cat "$tmp/block"
    if ((i % 10 == 0)); then cat "$tmp/healthy"; fi
  done
  cat "$tmp/symptom"
} >"$out.part"
mv "$out.part" "$out"
