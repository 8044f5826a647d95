#!/usr/bin/env bash
# Builds avisa's release binary with profile-guided optimization (PGO) into
# target/pgo/avisa: an instrumented build runs a training workload, LLVM merges the
# counts, and a second release build uses them to lay out and inline the hot paths.
# The output of every command is the same as the plain release build's, byte for byte;
# only speed changes (see README, Benchmarks). Takes two release builds (about ten
# minutes on two cores).
#
#   bench/pgo.sh                          # then: AVISA=target/pgo/avisa bench/corpus.sh
#
# Training covers every command whose speed matters, so no hot path is left looking cold
# (PGO compiles code a profile never reached for size: an import trained on six files ran
# 37% more instructions): `import` of the shared corpus' pt-BR advisories, `build` and
# `check` of that site and of the example site, `check-log` on the shared test vectors
# and on a generated 50 MB log. The es-ES advisories are left out of training, so the
# benchmark (which imports and builds both) shows whether the gain carries to unseen
# content.
#
# Needs: llvm-profdata of the LLVM version rustc uses (Debian: llvm-N, installed when
# missing and apt-get is available), python3 (for the generated log).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus/ms-security-updates}
LOGS=${LOGS:-$ROOT/../shared/logs}
PGO=$ROOT/target/pgo
HOST=$(rustc -vV | sed -n 's/^host: //p')
LLVM_MAJOR=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')

# The profile format follows LLVM's version: use the llvm-profdata of rustc's own LLVM.
PROFDATA=$(command -v "llvm-profdata-$LLVM_MAJOR" || true)
if [ -z "$PROFDATA" ] && command -v llvm-profdata >/dev/null &&
  llvm-profdata merge --version 2>/dev/null | grep -q "LLVM version $LLVM_MAJOR\."; then
  PROFDATA=$(command -v llvm-profdata)
fi
if [ -z "$PROFDATA" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "llvm-$LLVM_MAJOR" >/dev/null
    PROFDATA=$(command -v "llvm-profdata-$LLVM_MAJOR")
  else
    echo "error: llvm-profdata for LLVM $LLVM_MAJOR (rustc's) not found; install Debian's llvm-$LLVM_MAJOR" >&2
    exit 2
  fi
fi
[ -d "$CORPUS/pt-BR" ] || { echo "error: no corpus at $CORPUS (CORPUS=...)" >&2; exit 2; }

# --target: RUSTFLAGS then apply to avisa and its dependencies, not to build scripts and
# proc macros, which would write profiles of their own while compiling
build() { # TARGET_DIR RUSTFLAGS
  RUSTFLAGS=$2 cargo build --release --locked --quiet --manifest-path "$ROOT/Cargo.toml" \
    --target "$HOST" --target-dir "$1"
}

rm -rf "$PGO/profiles" "$PGO/train" "$PGO/train.log"
mkdir -p "$PGO/profiles/raw" "$PGO/train"
echo "1/3 instrumented build" >&2
build "$PGO/gen" "-Cprofile-generate=$PGO/profiles/raw"
BIN=$PGO/gen/$HOST/release/avisa

echo "2/3 training" >&2
export LLVM_PROFILE_FILE=$PGO/profiles/raw/avisa-%m_%p.profraw
T=$PGO/train
mkdir -p "$T/site/content"
LOG=$PGO/train.log
: >"$LOG"
# train OK_CODES ARGS...: runs the instrumented avisa with ARGS; an exit code outside
# OK_CODES (a space-separated list) stops the script
train() {
  local ok=$1 code=0
  shift
  "$BIN" "$@" >/dev/null 2>>"$LOG" || code=$?
  case " $ok " in
    *" $code "*) ;;
    *) echo "error: avisa $* exited with $code (its messages: $LOG)" >&2; tail -5 "$LOG" >&2; exit 2 ;;
  esac
}
cat >"$T/site/content/site.yaml" <<'EOF'
title: { pt-BR: "Comunicados" }
base_url: https://advisories.example.org/
default_locale: pt-BR
locales: [pt-BR]
EOF
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
python3 "$ROOT/bench/gen_wsyncmgr.py" "$T/Wsyncmgr.log" 50
train "0 1 3" check-log --rules "$LOGS/rules-954474.yaml" --json "$T/Wsyncmgr.log"
"$PROFDATA" merge -o "$PGO/profiles/avisa.profdata" "$PGO/profiles/raw"
rm -rf "$T"
# cargo does not look into the profile: naming it by its content makes every crate whose
# profile changed compile again, and none when it is the same
sum=$(sha256sum "$PGO/profiles/avisa.profdata" | cut -c1-16)
mv "$PGO/profiles/avisa.profdata" "$PGO/profiles/avisa-$sum.profdata"

echo "3/3 optimized build" >&2
build "$PGO/use" "-Cprofile-use=$PGO/profiles/avisa-$sum.profdata"
cp "$PGO/use/$HOST/release/avisa" "$PGO/avisa"
echo "built $PGO/avisa"
