#!/usr/bin/env bash
# The main job, end to end on this machine: tune a real operator on WebAssembly (XGBoost cost
# model + simulated annealing, every candidate measured and checked), then build it from the
# tuning log with no search, benchmark it against the untuned default, and plot the curve.
# Usage: scripts/demo_matmul.sh [trials]   (default 192 = 3 plans of the XGBoost tuner; resumable: run again to continue the log)
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS="${1:-192}"
OP=matmul
SHAPE=256,256,256
TARGET='wasm -threads=1'
OUT=demo
mkdir -p "$OUT"
[ -f dist/cli/main.js ] || npm run build
tt() { node dist/cli/main.js "$@"; }

echo "== 1. tune $OP $SHAPE on '$TARGET' for $TRIALS trials -> $OUT/$OP.jsonl"
tt tune --op "$OP" --shape "$SHAPE" --target "$TARGET" --trials "$TRIALS" --tuner xgb \
  --log "$OUT/$OP.jsonl" --resume

echo "== 2. build from the log (no search) -> $OUT/$OP.wasm"
tt build --op "$OP" --shape "$SHAPE" --target "$TARGET" --log "$OUT/$OP.jsonl" --out "$OUT/$OP.wasm"

echo "== 3. benchmark: tuned (from the log) vs the template's untuned default"
tt bench --op "$OP" --shape "$SHAPE" --target "$TARGET" --log "$OUT/$OP.jsonl"
: > "$OUT/empty.jsonl"  # an empty log: the build falls back to the template's default config
tt bench --op "$OP" --shape "$SHAPE" --target "$TARGET" --log "$OUT/empty.jsonl"

echo "== 4. log summary and tuning curve -> $OUT/$OP.svg"
tt logs stats "$OUT/$OP.jsonl"
tt logs plot "$OUT/$OP.jsonl" --out "$OUT/$OP.svg"
