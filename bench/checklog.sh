#!/usr/bin/env bash
# Benchmark of `avisa check-log` on a ~200 MB legacy-format Wsyncmgr.log (symptom at
# the end), next to `rg --count` with the same 8 patterns. Prints wall time, MB/s and
# peak RSS of each (best of RUNS runs, page cache warm) and the ratio.
# Usage: bench/checklog.sh [SIZE_MB] (default 200). Not a test: run it by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${1:-200}
RUNS=${RUNS:-3}
OUT=bench/out
LOG=$OUT/Wsyncmgr.log
RULES=../shared/logs/rules-954474.yaml
mkdir -p "$OUT"

if ! command -v rg >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null
fi
if [ ! -s "$LOG" ] || [ "$(stat -c %s "$LOG")" -lt $((SIZE_MB * 990000)) ]; then
  python3 bench/gen_wsyncmgr.py "$LOG" "$SIZE_MB"
fi
cargo build --release --quiet
cat "$LOG" >/dev/null # warm the page cache

BYTES=$(stat -c %s "$LOG")
# The worked example's eight patterns; `(?i)` where the rule says `ignore_case: true`.
PATTERNS=(
  -e 'Performing legacy sync'
  -e '^STATMSG: ID=6709 '
  -e '(?i)^Started with command line: .*updatewuscatalog\.exe'
  -e '(?i)^(Processing security catalog|Initializing catalog) .*wsusscn2\.cab'
  -e '^Pre-processing updates'
  -e '^Error 0x80004005, Unexpected DeploymentAction for update [0-9]+\. Returned from CreateUpdateNode'
  -e '^Updates summary: 0 processed, 0 matched, 0 outdated, 0 updated'
  -e '^Updates summary: [1-9][0-9]* processed'
)

# measure NAME CMD...: best wall time (s) and its peak RSS (KB) over $RUNS runs.
measure() {
  local name=$1; shift
  local best="" rss=""
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" >"$OUT/$name.out" 2>"$OUT/$name.time" || true
    local wall kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$OUT/$name.time")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/$name.time")
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$kb; fi
  done
  echo "$best $rss"
}

read -r AV_S AV_KB < <(measure avisa target/release/avisa check-log --rules "$RULES" --json "$LOG")
read -r RG_S RG_KB < <(measure rg rg --count "${PATTERNS[@]}" "$LOG")

VERDICT=$(grep -m1 '"verdict"' "$OUT/avisa.out" | tr -d ' ,')
awk -v b="$BYTES" -v as="$AV_S" -v ak="$AV_KB" -v rs="$RG_S" -v rk="$RG_KB" -v v="$VERDICT" -v rgc="$(cat "$OUT/rg.out")" 'BEGIN {
  mb = b / 1e6
  printf "input:          %s (%.1f MB)\n", "'"$LOG"'", mb
  printf "avisa check-log %6.2f s  %7.0f MB/s  peak RSS %6.1f MB  (%s)\n", as, mb / as, ak / 1024, v
  printf "rg --count      %6.2f s  %7.0f MB/s  peak RSS %6.1f MB  (%s matching lines)\n", rs, mb / rs, rk / 1024, rgc
  printf "ratio avisa/rg  %.2fx\n", as / rs
}'
