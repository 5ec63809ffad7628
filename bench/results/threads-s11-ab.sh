#!/usr/bin/env bash
# bench/results/threads-s11-ab.sh — session 11's thread-pool A/B (issue 11, wasm -threads=2 beside onnxruntime-web
# on 2 threads): before = main at 9c6a3c1 (static halves, caller waits for its worker, timed caller/worker race
# for every loop), after = this branch (balanced ranges claimed in chunks with work stealing, hand-offs taken back,
# no race for loops of >= 2 ms). Run on a quiet machine from the branch's repository root:
#   bash bench/results/threads-s11-ab.sh [reps=2] [out=bench/results/threads-s11-quiet.md]
# Each rep runs before and after back to back (same load); wall clock, best of 3 repeats per measurement.
set -euo pipefail
REPS=${1:-2}
OUT=${2:-bench/results/threads-s11-quiet.md}
BASE=9c6a3c1
ONLY=MM-1024,MM-512,C1,DENSE-bert,DENSE-fc
ROOT=$(pwd)
export TENSORTUNE_WORKLOADS=$(realpath "$ROOT/../shared/workloads.json")
TMP=$(mktemp -d /tmp/threads-s11-base.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
git archive "$BASE" | tar -x -C "$TMP"
ln -s "$ROOT/node_modules" "$TMP/node_modules"

log() { echo "$*" | tee -a "$OUT"; }
log "# threads-s11 A/B — $(date -u +%FT%TZ), $(nproc) cores, before $BASE, after $(git rev-parse --short HEAD)"
for rep in $(seq 1 "$REPS"); do
  for side in before after; do
    dir=$ROOT; [ "$side" = before ] && dir=$TMP
    log ""
    log "## rep $rep, $side — load $(cut -d' ' -f1-3 /proc/loadavg)"
    log "\`npx tsx bench/ops.ts --only=$ONLY --threads=2 --repeat=3\`"
    (cd "$dir" && npx tsx bench/ops.ts --only=$ONLY --threads=2 --repeat=3 2>/dev/null) | grep '^|' | tee -a "$OUT"
  done
done
# After only: the pool's counts and the parallel overhead (2-thread CPU time / 1-thread CPU time).
log ""
log "## after, pool counts — load $(cut -d' ' -f1-3 /proc/loadavg)"
log "\`npx tsx bench/threads.ts --only=$ONLY --variants=,nchwc --rounds=5\`"
npx tsx bench/threads.ts --only=$ONLY --variants=,nchwc --rounds=5 2>/dev/null | tee -a "$OUT"
# After only: every workload on 2 threads (issue 11's whole table).
log ""
log "## after, every workload — load $(cut -d' ' -f1-3 /proc/loadavg)"
log "\`npx tsx bench/ops.ts --threads=2 --repeat=3\`"
npx tsx bench/ops.ts --threads=2 --repeat=3 2>/dev/null | grep '^|' | tee -a "$OUT"
