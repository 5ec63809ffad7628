#!/usr/bin/env bash
# tuning-logs/tophub/make_tophub.sh — regenerates the shipped logs: tunes the operator library's
# common workloads on wasm with the tensortune command, keeps the best record of each (as TVM's
# TopHub ships only the best), and writes tuning-logs/tophub/wasm.jsonl.
#
# Usage (from the repository root): tuning-logs/tophub/make_tophub.sh [trials] [target]
#   trials  per workload (default 300); target (default 'wasm'). Hours on a small machine.
#   FEATURE=knob|itervar|curve picks the xgb cost model's features (default itervar).
# The full logs stay in tuning-logs/tophub/raw/ (not shipped) so a stopped run can be resumed:
# running the script again continues each workload where it stopped (--resume).
set -euo pipefail
TRIALS="${1:-300}"
TARGET="${2:-wasm}"
FEATURE="${FEATURE:-itervar}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RAW="$HERE/raw"
mkdir -p "$RAW"
# The raw logs are working files, not part of the package.
[ -f "$RAW/.gitignore" ] || echo "*" > "$RAW/.gitignore"
if [ -f "$ROOT/dist/cli/main.js" ]; then TT=(node "$ROOT/dist/cli/main.js"); else TT=(node --import tsx "$ROOT/cli/main.ts"); fi
FAMILY="${TARGET%% *}"

# The dense and matmul workloads of ../shared/workloads.json (AutoTVM / Ansor shapes), as --op/--shape.
WORKLOADS=(
  "matmul 128,128,128"
  "matmul 512,512,512"
  "matmul 1024,1024,1024"
  "matmul 32,512,512"
  "dense 1,1024,1000"
  "dense 128,768,3072"
)

for w in "${WORKLOADS[@]}"; do
  read -r op shape <<<"$w"
  log="$RAW/${FAMILY}_${op}_${shape//,/x}.jsonl"
  echo "== $op $shape on '$TARGET' ($TRIALS trials) -> $log"
  # Exit 0 = done; 130 = stopped by Ctrl-C (stop the whole script too).
  "${TT[@]}" tune --op "$op" --shape "$shape" --target "$TARGET" --trials "$TRIALS" --tuner xgb --feature-type "$FEATURE" \
    --early-stopping 150 --log "$log" --resume || { rc=$?; [ "$rc" -eq 130 ] && exit 130; echo "tune failed ($rc), continuing"; }
done

"${TT[@]}" logs best "$RAW"/"${FAMILY}"_*.jsonl --out "$HERE/${FAMILY}.jsonl"
"${TT[@]}" logs stats "$HERE/${FAMILY}.jsonl"
echo "wrote $HERE/${FAMILY}.jsonl; describe the run (machine, trials, date, command) in $HERE/README.md"
