#!/usr/bin/env bash
# In-page log checker benchmark: drops a ~200 MB Wsyncmgr.log (symptom at the end) into
# the checker page in headless Chromium and prints seconds from drop to verdict and the
# renderer processes' peak resident memory, once in a Web Worker and once on the main
# thread (the fallback). Targets: < 5 s and < 300 MB.
# Usage: bench/page.sh [LOG...]   (default: bench/out/Wsyncmgr-200MB.log, generated if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -gt 0 ]; then
  logs=("$@")
else
  mkdir -p bench/out
  log=bench/out/Wsyncmgr-200MB.log
  if [ ! -s "$log" ]; then
    echo "generating $log ..." >&2
    python3 bench/gen_wsyncmgr.py "$log" 200
  fi
  logs=("$log")
fi

abs=()
for l in "${logs[@]}"; do
  abs+=("$(cd "$(dirname "$l")" && pwd)/$(basename "$l")")
done
joined=$(IFS=:; echo "${abs[*]}")
ls -l "${abs[@]}" >&2
nproc_line="$(nproc) cores, chromium $(chromium --version 2>/dev/null | awk '{print $2}')"
echo "machine: $nproc_line" >&2

AVISA_BENCH_LOG="$joined" cargo test --quiet --test browser -- --ignored --exact \
  bench_drop_of_a_large_log_reaches_a_verdict --nocapture 2>&1 | grep -E '^(worker|main thread):|panicked|FAILED|error'
