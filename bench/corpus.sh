#!/usr/bin/env bash
# Benchmark: `avisa import` (pt-BR, es-ES) + `avisa build` on the shared corpus, at 1× and
# replicated 10× with new ids, side by side with Hugo building the same translation files
# in a minimal multilingual site this script generates. Median of $RUNS runs of wall time,
# CPU time (also split into user and system time) and peak RSS, each tool's own, as the
# kernel accounts them (see `timed`).
#
#   bench/corpus.sh                 # RUNS=5, release build of avisa, hugo from PATH
#   RUNS=3 SCALES="1 10" bench/corpus.sh
#   OUTPUT=tmpfs bench/corpus.sh    # both tools write their sites to /dev/shm
#   SETTLE=0 bench/corpus.sh        # do not wait after the previous run (see STAMP)
#   AVISA=target/pgo/avisa bench/corpus.sh   # the PGO release binary (bench/pgo.sh)
#
# Both tools do the same work: a page per translation, locale indexes paginated at 50
# entries, a redirect page at each legacy URL (avisa's `legacy_urls`, Hugo's `aliases`), a
# sitemap with each page's translations, and a feed per locale of 50 entries with the
# summary from the front matter (avisa's `atom.xml`; Hugo's own sitemap and an Atom
# template for its per-language feed, in place of its RSS template, which would also
# derive a summary from each page's content, work avisa does not do).
# Pages counted are HTML pages that are not redirects: avisa's own count ("built N pages":
# advisory pages, indexes, root) and every index.html Hugo writes without a meta refresh.
# With OUTPUT=tmpfs the output goes to memory, which takes the file system's cost per created
# file and folder (the same for both tools, several tenths of a second at 10x here) out of
# the comparison; sources and content stay on disk either way.
#
# Needs: python3 (to read the kernel's account of each run), hugo (Debian: apt-get install
# -y hugo; skipped if missing).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus/ms-security-updates}
RUNS=${RUNS:-5}
SCALES=${SCALES:-"1 10"}
AVISA=${AVISA:-$ROOT/target/release/avisa}
HUGO=${HUGO:-$(command -v hugo || true)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/avisa-bench.XXXXXX")
OUTPUT=${OUTPUT:-disk}
case $OUTPUT in
  disk) OUTROOT=$WORK ;;
  tmpfs) OUTROOT=$(mktemp -d /dev/shm/avisa-bench.XXXXXX) ;;
  *) echo "error: OUTPUT must be disk or tmpfs" >&2; exit 2 ;;
esac
# Creating a file on ext4 without a journal (as on this project's machines) skips every
# inode freed in the last one to six minutes, reading each one's record to find out
# (`recently_deleted` in the kernel's fs/ext4/ialloc.c). After a large `rm -rf`, such as the
# cleanup at the end of the previous run, each file either tool writes costs several times
# the system time it costs otherwise (a 1x avisa build took 0.28-0.59 CPU-s instead of
# 0.12-0.15), so a run first waits until SETTLE seconds have passed since the last run's
# cleanup. Other large deletions on the same file system (an old output, `cargo clean`,
# `cargo test`, whose site tests build in temporary folders and delete them) have the same
# effect and are not seen here (except bench/pgo.sh's, which touches STAMP too): wait six
# minutes after them (a first 1x build started two minutes after `cargo test` took
# 1.26 CPU-s instead of 0.12).
SETTLE=${SETTLE:-360}
STAMP=${TMPDIR:-/tmp}/avisa-bench.cleaned
trap 'rm -rf "$WORK" "$OUTROOT"; touch "$STAMP"' EXIT
if [ "$SETTLE" -gt 0 ] && [ -f "$STAMP" ]; then
  age=$(($(date +%s) - $(stat -c %Y "$STAMP")))
  if [ "$age" -lt "$SETTLE" ]; then
    echo "waiting $((SETTLE - age)) s for the file system to reuse the inodes the previous run freed (SETTLE=0: do not wait)" >&2
    sleep $((SETTLE - age))
  fi
fi

command -v python3 >/dev/null || { echo "error: python3 is required (to time each run)" >&2; exit 2; }
if [ ! -x "$AVISA" ]; then
  # only the default binary is built here (another, such as bench/pgo.sh's, has its own way)
  [ "$AVISA" = "$ROOT/target/release/avisa" ] || { echo "error: no binary at $AVISA" >&2; exit 2; }
  cargo build --release --manifest-path "$ROOT/Cargo.toml" >&2
fi
[ -n "$HUGO" ] || echo "warning: hugo not found; the comparison columns stay empty" >&2

# --- sources -------------------------------------------------------------------------
# make_sources N DIR: the corpus' pt-BR/ and es-ES/ copied N times; copy k>0 renames every
# file stem `ID` to `ID-rK`, so each copy is a new set of advisories.
make_sources() {
  local n=$1 dst=$2 k locale f rel stem dir
  for locale in pt-BR es-ES; do
    for ((k = 0; k < n; k++)); do
      while IFS= read -r -d '' f; do
        rel=${f#"$CORPUS/$locale/"}
        stem=$(basename "$rel" .md)
        dir=$(dirname "$rel")
        [ "$k" -eq 0 ] || stem="$stem-r$k"
        mkdir -p "$dst/$locale/r$k/$dir"
        cp "$f" "$dst/$locale/r$k/$dir/$stem.md"
      done < <(find "$CORPUS/$locale" -name '*.md' -print0)
    done
  done
}

write_site_yaml() {
  mkdir -p "$1"
  cat >"$1/site.yaml" <<'EOF'
title: { pt-BR: "Comunicados", es-ES: "Avisos" }
base_url: https://advisories.example.org/
default_locale: pt-BR
locales: [pt-BR, es-ES]
EOF
}

# --- measuring -----------------------------------------------------------------------
# timed OUT CMD...: runs CMD; appends "wall cpu rss_kb user sys" to OUT: wall time, CPU time
# (user + system), peak resident set size, and the CPU time split into user and system
# (kernel) time, of CMD's own process (and any it waited for), from
# the kernel's account of it (`wait4`), to the microsecond. A timing wrapper such as GNU
# `time -v` would add its own start-up, about 2 ms of CPU, to every figure (2% of a 1x
# avisa build) and rounds to hundredths.
timed() {
  local out=$1
  shift
  if ! python3 - "$WORK/cmd.out" "$WORK/cmd.err" "$@" >>"$out" <<'PY'; then
import os, subprocess, sys, time

stdout, stderr, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(stdout, "wb") as out, open(stderr, "wb") as err:
    start = time.monotonic()
    child = subprocess.Popen(cmd, stdout=out, stderr=err)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
child.returncode = os.waitstatus_to_exitcode(status)
if child.returncode != 0:
    sys.exit(1)
print(f"{wall:.4f} {usage.ru_utime + usage.ru_stime:.4f} {usage.ru_maxrss} {usage.ru_utime:.4f} {usage.ru_stime:.4f}")
PY
    echo "error: $* failed:" >&2
    tail -20 "$WORK/cmd.err" >&2
    exit 1
  fi
}

# median FILE COLUMN
median() {
  awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# combine FILES...: per run, import pt-BR + import es-ES (+ build) add wall, CPU, user and
# system time; RSS is the max.
combine() {
  paste -d' ' "$@" | awk '{ w = 0; c = 0; r = 0; u = 0; s = 0; for (i = 1; i <= NF; i += 5) { w += $i; c += $(i + 1); if ($(i + 2) > r) r = $(i + 2); u += $(i + 3); s += $(i + 4) } printf "%.3f %.3f %d %.3f %.3f\n", w, c, r, u, s }'
}

# --- the Hugo site -------------------------------------------------------------------
# make_hugo CONTENT DIR: one page per translation file, same Markdown and front matter.
make_hugo() {
  local content=$1 dir=$2 f id locale
  mkdir -p "$dir/layouts/_default" "$dir/content/pt-BR" "$dir/content/es-ES"
  cat >"$dir/config.yaml" <<'EOF'
baseURL: https://advisories.example.org/
defaultContentLanguage: pt-br
defaultContentLanguageInSubdir: true
disableKinds: [taxonomy, term, robotsTXT, 404]
paginate: 50
rssLimit: 50
markup:
  goldmark:
    renderer:
      unsafe: true
languages:
  pt-br: { contentDir: content/pt-BR, weight: 1, title: Comunicados }
  es-es: { contentDir: content/es-ES, weight: 2, title: Avisos }
EOF
  cat >"$dir/layouts/_default/single.html" <<'EOF'
<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}{{ .Content }}</body></html>
EOF
  cat >"$dir/layouts/_default/list.html" <<'EOF'
<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head>
<body><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
EOF
  cat >"$dir/layouts/_default/rss.xml" <<'EOF'
{{ printf "<?xml version=\"1.0\" encoding=\"utf-8\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ .Site.Language.Lang }}">
  <title>{{ .Site.Title }}</title>
  <id>{{ .Permalink }}</id>
{{ range first 50 .Site.RegularPages }}  <entry>
    <id>{{ .Permalink }}</id>
    <title>{{ .Title }}</title>
    <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
    <summary>{{ .Params.summary }}</summary>
  </entry>
{{ end }}</feed>
EOF
  # avisa writes a redirect page at each legacy URL (`legacy_urls` in advisory.yaml); Hugo
  # gets the same work as `aliases` in the front matter of that translation
  local -A alias=()
  local key path
  while read -r key path; do
    alias[$key]=$path
  done < <(awk '
    FNR == 1 { id = FILENAME; sub(/\/advisory\.yaml$/, "", id); sub(/.*\//, "", id); in_urls = 0 }
    /^legacy_urls:/ { in_urls = 1; next }
    in_urls && /^  [^ ]+: / { loc = $1; sub(/:$/, "", loc); url = $2; sub(/^[a-z]+:\/\/[^\/]*/, "", url); print id "/" loc, url; next }
    { in_urls = 0 }' "$content"/advisories/*/advisory.yaml)
  for f in "$content"/advisories/*/*.md; do
    id=$(basename "$(dirname "$f")")
    locale=$(basename "$f" .md)
    path=${alias[$id/$locale]:-}
    if [ -n "$path" ]; then
      awk -v a="$path/" 'NR == 1 && $0 == "---" { print; print "aliases: [\"" a "\"]"; next } { print }' \
        "$f" >"$dir/content/$locale/$id.md"
    else
      cp "$f" "$dir/content/$locale/$id.md"
    fi
  done
}

# count_pages DIR: HTML pages, not the redirect pages (Hugo's aliases and its root
# redirect to the default language).
count_pages() {
  find "$1" -name index.html -print0 | xargs -0 grep -L -F 'http-equiv="refresh"' | wc -l
}

# --- runs ----------------------------------------------------------------------------
declare -A RES
for scale in $SCALES; do
  src="$WORK/src-$scale"
  make_sources "$scale" "$src"
  : >"$WORK/imp-pt-$scale" >"$WORK/imp-es-$scale" >"$WORK/build-$scale" >"$WORK/hugo-$scale"
  for ((run = 1; run <= RUNS; run++)); do
    # Every run writes into new folders; nothing is deleted until the script ends, because
    # ext4 spends seconds of system time skipping just-freed inodes after a large `rm -rf`,
    # which would be charged to whichever tool runs next.
    site="$WORK/site-$scale-$run"
    write_site_yaml "$site/content"
    timed "$WORK/imp-pt-$scale" "$AVISA" import --locale pt-BR --from "$src/pt-BR" --into "$site/content"
    timed "$WORK/imp-es-$scale" "$AVISA" import --locale es-ES --from "$src/es-ES" --into "$site/content"
    out="$OUTROOT/public-$scale-$run"
    timed "$WORK/build-$scale" "$AVISA" build --root "$site" --out "$out"
    pages=$(sed -n 's/^built \([0-9]*\) pages.*/\1/p' "$WORK/cmd.out")
    [ -n "$pages" ] || { echo "error: no page count in avisa's output" >&2; exit 1; }
    if [ -n "$HUGO" ]; then
      hsite="$WORK/hugo-site-$scale-$run"
      make_hugo "$site/content" "$hsite"
      hout="$OUTROOT/hugo-public-$scale-$run"
      timed "$WORK/hugo-$scale" "$HUGO" --quiet --source "$hsite" --destination "$hout"
    fi
  done
  combine "$WORK/imp-pt-$scale" "$WORK/imp-es-$scale" >"$WORK/import-$scale"
  combine "$WORK/imp-pt-$scale" "$WORK/imp-es-$scale" "$WORK/build-$scale" >"$WORK/total-$scale"
  RES[pages-$scale]=$pages
  RES[advisories-$scale]=$(find "$site/content/advisories" -mindepth 1 -maxdepth 1 -type d | wc -l)
  [ -z "$HUGO" ] || RES[hpages-$scale]=$(count_pages "$hout")
  for what in import build total hugo; do
    [ -s "$WORK/$what-$scale" ] || continue
    RES[$what-wall-$scale]=$(median "$WORK/$what-$scale" 1)
    RES[$what-cpu-$scale]=$(median "$WORK/$what-$scale" 2)
    RES[$what-rss-$scale]=$(median "$WORK/$what-$scale" 3)
    RES[$what-user-$scale]=$(median "$WORK/$what-$scale" 4)
    RES[$what-sys-$scale]=$(median "$WORK/$what-$scale" 5)
  done
done

# --- report --------------------------------------------------------------------------
# paired AVISA_RUNS HUGO_RUNS COLUMN AVISA_PAGES HUGO_PAGES: the ratio of pages per second
# for each pair of runs, as "lowest-highest"
paired() {
  paste -d' ' "$1" "$2" | awk -v c="$3" -v p="$4" -v h="$5" '
    { r = (p / $c) / (h / $(c + 5)); lo = (NR == 1 || r < lo) ? r : lo; hi = (NR == 1 || r > hi) ? r : hi }
    END { printf "%.2fx-%.2fx", lo, hi }'
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
echo
echo "avisa $("$AVISA" --version | awk '{ print $2 }') (${AVISA#"$ROOT/"}), $( [ -n "$HUGO" ] && "$HUGO" version | awk '{ print $1, $2 }'), $(nproc) CPUs, median of $RUNS runs, output on $OUTPUT"
printf '%-6s %-16s %8s %8s %9s %8s %8s %10s %10s %9s\n' scale step pages wall_s cpu_s user_s sys_s pages/wall pages/cpu rss_MiB
for scale in $SCALES; do
  for what in import build total hugo; do
    [ -n "${RES[$what-wall-$scale]:-}" ] || continue
    pages=${RES[pages-$scale]}
    [ "$what" != hugo ] || pages=${RES[hpages-$scale]}
    label=$what
    [ "$what" != import ] || label="import (2 loc.)"
    [ "$what" != total ] || label="import+build"
    printf '%-6s %-16s %8s %8s %9s %8s %8s %10s %10s %9s\n' "${scale}x" "$label" "$pages" \
      "${RES[$what-wall-$scale]}" "${RES[$what-cpu-$scale]}" \
      "${RES[$what-user-$scale]}" "${RES[$what-sys-$scale]}" \
      "$(div "$pages" "${RES[$what-wall-$scale]}")" "$(div "$pages" "${RES[$what-cpu-$scale]}")" \
      "$(div "${RES[$what-rss-$scale]}" 1024)"
  done
  echo "       (${RES[advisories-$scale]} advisory folders)"
done
echo
for scale in $SCALES; do
  [ -n "${RES[hugo-wall-$scale]:-}" ] || continue
  p=${RES[pages-$scale]} h=${RES[hpages-$scale]}
  echo "${scale}x avisa build vs hugo: pages per CPU-second $(div "$(div "$p" "${RES[build-cpu-$scale]}")" "$(div "$h" "${RES[hugo-cpu-$scale]}")")x," \
    "pages per wall-second $(div "$(div "$p" "${RES[build-wall-$scale]}")" "$(div "$h" "${RES[hugo-wall-$scale]}")")x," \
    "peak memory $(div "${RES[build-rss-$scale]}" "${RES[hugo-rss-$scale]}")x;" \
    "with import: pages per wall-second $(div "$(div "$p" "${RES[total-wall-$scale]}")" "$(div "$h" "${RES[hugo-wall-$scale]}")")x"
  echo "    run by run (avisa's run i against Hugo's run i, which follows it): pages per CPU-second" \
    "$(paired "$WORK/build-$scale" "$WORK/hugo-$scale" 2 "$p" "$h"), pages per wall-second" \
    "$(paired "$WORK/build-$scale" "$WORK/hugo-$scale" 1 "$p" "$h")"
  echo "    CPU seconds, in run order: avisa build $(awk '{ printf "%s ", $2 }' "$WORK/build-$scale")| hugo $(awk '{ printf "%s ", $2 }' "$WORK/hugo-$scale")"
  echo "    wall seconds, in run order: avisa build $(awk '{ printf "%s ", $1 }' "$WORK/build-$scale")| hugo $(awk '{ printf "%s ", $1 }' "$WORK/hugo-$scale")"
  echo "    user / system (kernel) CPU seconds, medians: avisa build ${RES[build-user-$scale]} / ${RES[build-sys-$scale]}," \
    "hugo ${RES[hugo-user-$scale]} / ${RES[hugo-sys-$scale]}"
done
set -- $SCALES
if [ $# -ge 2 ]; then
  a=$1 b=${!#}
  for what in import build total hugo; do
    [ -n "${RES[$what-wall-$b]:-}" ] || continue
    echo "growth ${a}x -> ${b}x, $what: wall $(div "${RES[$what-wall-$b]}" "${RES[$what-wall-$a]}")x, cpu $(div "${RES[$what-cpu-$b]}" "${RES[$what-cpu-$a]}")x, peak RSS $(div "${RES[$what-rss-$b]}" "${RES[$what-rss-$a]}")x"
  done
fi
