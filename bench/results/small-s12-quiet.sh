#!/usr/bin/env bash
# bench/results/small-s12-quiet.sh — session 12's small products A/B on wasm (issue 11): MM-skinny (32×512·512),
# MM-128 and DENSE-fc (GEMV 1×1024·1000ᵀ) on 1 thread beside tfjs-backend-wasm and on 2 threads beside
# onnxruntime-web (2 threads), wall clock, for a quiet machine (after 09:12).
#   before = main at c908216: the caller/worker race timed the workers' wake-up (a call a parked worker missed
#            counted as a worker call), Eigen's 63 µs threshold (MM-128's product loop never raced), B packed
#            by a loop of its own before the product.
#   after  = this branch: the race times the workers only once they are awake (runtime/parallel_cost.ts),
#            a second thread from 21 µs of work, each B panel packed inside the parallel loop (pack_at 'panel').
# Run from the branch's repository root:  bash bench/results/small-s12-quiet.sh [out=bench/results/small-s12-quiet.md]
# About 3.5 minutes: 2 reps × (before, after) × one bench/ops.ts run (~45 s each), then bench/threads.ts on
# each side once (~15 s each). Each rep runs before and after back to back (same load).
set -euo pipefail
OUT=${1:-bench/results/small-s12-quiet.md}
BASE=c908216
ONLY=MM-skinny,MM-128,DENSE-fc
ROOT=$(pwd)
export TENSORTUNE_WORKLOADS=$(realpath "$ROOT/../shared/workloads.json")
TMP=$(mktemp -d /tmp/small-s12-base.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
git archive "$BASE" | tar -x -C "$TMP"
ln -s "$ROOT/node_modules" "$TMP/node_modules"

log() { echo "$*" | tee -a "$OUT"; }
log "# small-s12 A/B — $(date -u +%FT%TZ), $(nproc) cores, before $BASE, after $(git rev-parse --short HEAD)"
for rep in 1 2; do
  for side in before after; do
    dir=$ROOT; [ "$side" = before ] && dir=$TMP
    log ""
    log "## rep $rep, $side — load $(cut -d' ' -f1-3 /proc/loadavg)"
    log "\`npx tsx bench/ops.ts --only=$ONLY --threads=1,2 --repeat=3\` (1-thread rows ÷ tfjs-wasm, 2-thread rows ÷ onnxruntime-web on 2 threads)"
    (cd "$dir" && npx tsx bench/ops.ts --only=$ONLY --threads=1,2 --repeat=3 2>/dev/null) | grep '^|' | tee -a "$OUT"
  done
done
# The pool's counts and each loop's decision (after: also its race — worker calls made / timed awake, medians).
for side in before after; do
  dir=$ROOT; [ "$side" = before ] && dir=$TMP
  log ""
  log "## $side, pool counts — load $(cut -d' ' -f1-3 /proc/loadavg)"
  log "\`npx tsx bench/threads.ts --only=$ONLY --variants= --rounds=3\`"
  (cd "$dir" && npx tsx bench/threads.ts --only=$ONLY --variants= --rounds=3 2>/dev/null) | grep '^|' | tee -a "$OUT"
done
