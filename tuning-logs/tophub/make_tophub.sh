#!/usr/bin/env bash
# tuning-logs/tophub/make_tophub.sh — regenerates a shipped log: tunes the operator library's common
# workloads with the tensortune command, keeps the best record of each (as TVM's TopHub ships only the
# best), and writes tuning-logs/tophub/<target>.jsonl (wasm.jsonl, wasm_threads1.jsonl, …).
#
# Usage (from the repository root): tuning-logs/tophub/make_tophub.sh [trials] [target] [workloads]
#   trials     per workload (default 300); target (default 'wasm').
#   workloads  space-separated ids of ../shared/workloads.json, each optionally ':<op>' to pick the
#              template (C6:conv2d_NCHWc, C6:conv2d_winograd) and ':<name>=<value>' after it for a
#              parameter the workload entry does not hold (C6:conv2d_winograd:transformed=1, the [16, O, C]
#              workload a model build runs; passed as `--workload C6 --shape transformed=1`); default: the
#              dense/matmul ones.
#   FEATURE=knob|itervar|curve picks the xgb cost model's features (default itervar);
#   EARLY=<n> the early stopping (default 150); TUNE_FLAGS=<flags> more `tensortune tune` flags, e.g.
#   TUNE_FLAGS="--number 1 --timeout 40" for slow WebGPU adapters; a warm-started short search (the default config
#   first, the search started from it): TUNE_FLAGS="--warm-start default --plan-size 4 --mutation-share 0.5" with
#   FEATURE=knob (`--warm-start default,<older raw log>` also transfers that log's best configs).
#   Hours on a small machine for the defaults.
#   OUT=<file> where the best record per workload goes (default tuning-logs/tophub/<target>.jsonl). Only
#   regenerate a shipped file when raw/ holds the raw logs of every record it ships; otherwise write to a
#   candidate file (OUT=raw/cand.jsonl) and merge its lines into the shipped file by hand.
# The full logs stay in tuning-logs/tophub/raw/ (not shipped) so a stopped run can be resumed:
# running the script again continues each workload where it stopped (--resume).
set -euo pipefail
TRIALS="${1:-300}"
TARGET="${2:-wasm}"
WORKLOADS="${3:-MM-128 MM-512 MM-1024 MM-skinny DENSE-fc DENSE-bert}"
FEATURE="${FEATURE:-itervar}"
EARLY="${EARLY:-150}"
read -r -a EXTRA <<< "${TUNE_FLAGS:-}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RAW="$HERE/raw"
mkdir -p "$RAW"
# The raw logs are working files, not part of the package.
[ -f "$RAW/.gitignore" ] || echo "*" > "$RAW/.gitignore"
if [ -f "$ROOT/dist/cli/main.js" ]; then TT=(node "$ROOT/dist/cli/main.js"); else TT=(node --import tsx "$ROOT/cli/main.ts"); fi
# 'wasm' → wasm, 'wasm -threads=1' → wasm_threads1: the file name of this target's logs.
NAME="$(echo "$TARGET" | sed -e 's/ -/_/g' -e 's/[^A-Za-z0-9_]//g')"

OUT="${OUT:-$HERE/${NAME}.jsonl}"

for w in $WORKLOADS; do
  IFS=: read -r id opname extra <<< "$w"
  op=()
  [ -n "$opname" ] && op=(--op "$opname")
  sel=(--workload "$id")
  # A parameter the entry does not hold (transformed=1) rides on --shape beside --workload.
  [ -n "$extra" ] && sel+=(--shape "$extra")
  log="$RAW/${NAME}__${w//[:=]/_}.jsonl"
  echo "== $w on '$TARGET' ($TRIALS trials) -> $log"
  # Exit 0 = done; 130 = stopped by Ctrl-C (stop the whole script too).
  "${TT[@]}" tune "${sel[@]}" "${op[@]}" --target "$TARGET" --trials "$TRIALS" --tuner xgb --feature-type "$FEATURE" \
    --early-stopping "$EARLY" --log "$log" --resume ${EXTRA[@]+"${EXTRA[@]}"} || { rc=$?; [ "$rc" -eq 130 ] && exit 130; echo "tune failed ($rc), continuing"; }
done

"${TT[@]}" logs best "$RAW"/"${NAME}"__*.jsonl --out "$OUT"
"${TT[@]}" logs stats "$OUT"
echo "wrote $OUT; describe the run (machine, trials, date, command) in $HERE/README.md"
