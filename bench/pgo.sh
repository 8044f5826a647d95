#!/usr/bin/env bash
# Builds avisa's release binary with profile-guided optimization (PGO) into
# target/pgo/avisa: an instrumented build runs a training workload, LLVM merges the
# counts, and a second release build uses them to lay out and inline the hot paths.
# Then BOLT, LLVM's post-link optimizer, instruments that binary, runs the same workload
# and lays out its machine code by what ran: hot blocks together, cold ones apart, callers
# near callees. The output of every command is the same as the plain release build's,
# byte for byte (the script checks a build of the training site); only speed changes (see
# README, Benchmarks). Takes two release builds (about ten minutes on two cores).
#
#   bench/pgo.sh                          # then: AVISA=target/pgo/avisa bench/corpus.sh
#   BOLT=0 bench/pgo.sh                   # PGO only (no llvm-bolt needed)
#
# Training covers every command whose speed matters, so no hot path is left looking cold
# (PGO compiles code a profile never reached for size: an import trained on six files ran
# 37% more instructions): `import` of the shared corpus' pt-BR advisories, `build` and
# `check` of that site and of the example site, `check-log` on the shared test vectors
# and on a generated 50 MB log. The es-ES advisories are left out of training, so the
# benchmark (which imports and builds both) shows whether the gain carries to unseen
# content.
#
# Needs: llvm-profdata of the LLVM version rustc uses (Debian: llvm-N) and, unless BOLT=0,
# llvm-bolt and merge-fdata (Debian: bolt-N), each installed when missing and apt-get is
# available; python3 (for the generated log).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus/ms-security-updates}
LOGS=${LOGS:-$ROOT/../shared/logs}
PGO=$ROOT/target/pgo
HOST=$(rustc -vV | sed -n 's/^host: //p')
LLVM_MAJOR=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')

BOLT=${BOLT:-1}

# install_tool TOOL PACKAGE: installs Debian's PACKAGE when TOOL is missing (as root with
# apt-get), or stops
install_tool() {
  command -v "$1" >/dev/null && return
  if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    # a failed install is reported below, as a missing tool
    { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; } || true
  fi
  command -v "$1" >/dev/null || { echo "error: $1 not found; install Debian's $2" >&2; exit 2; }
}

# The profile format follows LLVM's version: use the llvm-profdata of rustc's own LLVM.
PROFDATA=$(command -v "llvm-profdata-$LLVM_MAJOR" || true)
if [ -z "$PROFDATA" ] && command -v llvm-profdata >/dev/null &&
  llvm-profdata merge --version 2>/dev/null | grep -q "LLVM version $LLVM_MAJOR\."; then
  PROFDATA=$(command -v llvm-profdata)
fi
if [ -z "$PROFDATA" ]; then
  install_tool "llvm-profdata-$LLVM_MAJOR" "llvm-$LLVM_MAJOR"
  PROFDATA=$(command -v "llvm-profdata-$LLVM_MAJOR")
fi
if [ "$BOLT" != 0 ]; then
  install_tool "llvm-bolt-$LLVM_MAJOR" "bolt-$LLVM_MAJOR"
  install_tool "merge-fdata-$LLVM_MAJOR" "bolt-$LLVM_MAJOR"
fi
[ -d "$CORPUS/pt-BR" ] || { echo "error: no corpus at $CORPUS (CORPUS=...)" >&2; exit 2; }

# --target: RUSTFLAGS then apply to avisa and its dependencies, not to build scripts and
# proc macros, which would write profiles of their own while compiling
build() { # TARGET_DIR RUSTFLAGS
  RUSTFLAGS=$2 cargo build --release --locked --quiet --manifest-path "$ROOT/Cargo.toml" \
    --target "$HOST" --target-dir "$1"
}

rm -rf "$PGO/profiles" "$PGO/bolt" "$PGO/train" "$PGO/train.log"
mkdir -p "$PGO/profiles/raw" "$PGO/train"
LOG=$PGO/train.log
: >"$LOG"
T=$PGO/train
python3 "$ROOT/bench/gen_wsyncmgr.py" "$T/Wsyncmgr.log" 50
STEPS=$([ "$BOLT" = 0 ] && echo 3 || echo 4)

# train OK_CODES ARGS...: runs $BIN with ARGS; an exit code outside OK_CODES (a
# space-separated list) stops the script
train() {
  local ok=$1 code=0
  shift
  "$BIN" "$@" >/dev/null 2>>"$LOG" || code=$?
  case " $ok " in
    *" $code "*) ;;
    *) echo "error: avisa $* exited with $code (its messages: $LOG)" >&2; tail -5 "$LOG" >&2; exit 2 ;;
  esac
}
# workload: the training run of $BIN, in a new site under $T
workload() {
  rm -rf "$T/site" "$T"/public-* "$T"/example-*
  mkdir -p "$T/site/content"
  cat >"$T/site/content/site.yaml" <<'YAML'
title: { pt-BR: "Comunicados" }
base_url: https://advisories.example.org/
default_locale: pt-BR
locales: [pt-BR]
YAML
  for _ in 1 2; do # the second run finds every file unchanged
    train 0 import --locale pt-BR --from "$CORPUS/pt-BR" --into "$T/site/content"
  done
  for i in 1 2 3; do
    train 0 build --root "$T/site" --out "$T/public-$i"
    train 0 build --root "$ROOT" --out "$T/example-$i"
  done
  train 0 check --root "$T/site"
  train 0 check --root "$ROOT"
  # check-log's verdicts are exit codes too: 0 not affected, 1 affected, 3 inconclusive
  for log in "$LOGS"/*.log; do
    train "0 1 3" check-log --rules "$LOGS/rules-954474.yaml" "$log"
    train "0 1 3" check-log --rules "$LOGS/rules-954474.yaml" --json "$log"
    train "0 1 3" check-log --root "$ROOT" --advisory 954474 "$log"
  done
  train "0 1 3" check-log --rules "$LOGS/rules-954474.yaml" --json "$T/Wsyncmgr.log"
}

echo "1/$STEPS instrumented build" >&2
build "$PGO/gen" "-Cprofile-generate=$PGO/profiles/raw"
BIN=$PGO/gen/$HOST/release/avisa

echo "2/$STEPS training" >&2
export LLVM_PROFILE_FILE=$PGO/profiles/raw/avisa-%m_%p.profraw
workload
unset LLVM_PROFILE_FILE
"$PROFDATA" merge -o "$PGO/profiles/avisa.profdata" "$PGO/profiles/raw"
# cargo does not look into the profile: naming it by its content makes every crate whose
# profile changed compile again, and none when it is the same
sum=$(sha256sum "$PGO/profiles/avisa.profdata" | cut -c1-16)
mv "$PGO/profiles/avisa.profdata" "$PGO/profiles/avisa-$sum.profdata"

echo "3/$STEPS optimized build" >&2
flags="-Cprofile-use=$PGO/profiles/avisa-$sum.profdata"
# BOLT moves whole functions only in a binary that keeps its relocations
[ "$BOLT" = 0 ] || flags="$flags -Clink-arg=-Wl,--emit-relocs"
build "$PGO/use" "$flags"
USE=$PGO/use/$HOST/release/avisa

if [ "$BOLT" = 0 ]; then
  cp "$USE" "$PGO/avisa"
else
  echo "4/4 BOLT: instrumented binary, training, layout" >&2
  mkdir -p "$PGO/bolt"
  BOLT_LOG=$PGO/bolt/bolt.log
  # bolt ARGS...: llvm-bolt, its messages kept in $BOLT_LOG and shown if it fails
  bolt() {
    "llvm-bolt-$LLVM_MAJOR" "$@" >>"$BOLT_LOG" 2>&1 ||
      { echo "error: llvm-bolt failed (its messages: $BOLT_LOG)" >&2; tail -5 "$BOLT_LOG" >&2; exit 2; }
  }
  : >"$BOLT_LOG"
  # each process of the training writes its own profile, prof.PID.fdata
  bolt "$USE" -o "$PGO/bolt/avisa.instrumented" -instrument \
    --instrumentation-file="$PGO/bolt/prof" --instrumentation-file-append-pid
  BIN=$PGO/bolt/avisa.instrumented
  workload
  "merge-fdata-$LLVM_MAJOR" "$PGO"/bolt/prof.*.fdata >"$PGO/bolt/avisa.fdata" 2>>"$BOLT_LOG" ||
    { echo "error: merge-fdata failed (its messages: $BOLT_LOG)" >&2; exit 2; }
  bolt "$USE" -o "$PGO/bolt/avisa" -data="$PGO/bolt/avisa.fdata" \
    -reorder-blocks=ext-tsp -reorder-functions=cdsort -split-functions -split-all-cold \
    -split-eh -icf=safe -use-gnu-stack -update-debug-sections
  rm -f "$PGO"/bolt/prof.*.fdata "$PGO/bolt/avisa.instrumented"
  # the training site built by the PGO binary and by the BOLT one: the same, byte for byte
  BIN=$USE train 0 build --root "$T/site" --out "$T/check-pgo"
  BIN=$PGO/bolt/avisa train 0 build --root "$T/site" --out "$T/check-bolt"
  diff -r "$T/check-pgo" "$T/check-bolt" >/dev/null ||
    { echo "error: the BOLT binary's output differs from the PGO binary's" >&2; exit 2; }
  cp "$PGO/bolt/avisa" "$PGO/avisa"
fi
rm -rf "$T"
# thousands of files were just deleted: bench/corpus.sh waits until this stamp (its own)
# is six minutes old before it times anything (see STAMP there)
touch "${TMPDIR:-/tmp}/avisa-bench.cleaned"
echo "built $PGO/avisa"
