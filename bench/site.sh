#!/usr/bin/env bash
# Benchmark of `avisa build`: the shipped example site, and the example replicated to
# N advisories × 3 locales (default N=1000). Prints wall time, CPU time, peak RSS and
# pages per second (median of RUNS runs). Usage: bench/site.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
RUNS=${2:-3}
OUT=bench/out/site
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
BIN=target/release/avisa

rm -rf "$OUT" && mkdir -p "$OUT/big/content/advisories"
cp content/site.yaml "$OUT/big/content/"
src=content/advisories/954474
for i in $(seq 1 "$N"); do
  id=$((954474 + i * 1000))
  d="$OUT/big/content/advisories/$id"
  mkdir -p "$d"
  sed "s/^id: \"954474\"/id: \"$id\"/" "$src/advisory.yaml" > "$d/advisory.yaml"
  cp "$src"/*.md "$d/"
done

measure() { # name root
  local name=$1 root=$2 walls=() line
  for r in $(seq 1 "$RUNS"); do
    line=$( { /usr/bin/time -f "%e %U %S %M" "$BIN" build --root "$root" --out "$OUT/public-$name" >/dev/null; } 2>&1 | tail -1 )
    walls+=("$line")
  done
  printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p" | {
    read -r wall user sys rss
    pages=$(find "$OUT/public-$name" -name index.html | wc -l)
    awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v p="$pages" 'BEGIN {
      printf "%-10s pages=%-6d wall=%6.2fs cpu=%6.2fs peak_rss=%7.1fMB pages/s(wall)=%8.0f pages/cpu-s=%8.0f\n",
        n, p, w, u + s, r / 1024, (w > 0 ? p / w : 0), ((u + s) > 0 ? p / (u + s) : 0) }'
  }
}
echo "avisa build, median of $RUNS runs ($(nproc) cores)"
measure example .
measure "x$N" "$OUT/big"
