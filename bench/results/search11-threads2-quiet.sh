#!/bin/bash
# search11 (round 9): the `wasm -threads=2` tasks of issue 13, for a QUIET machine only (load < 1; wall clock).
# Under load no timer is honest for 2 threads (docs/search.md, round 9): the wall clock counts other jobs' time,
# and the process's CPU time sums both threads' work and spinning, which cannot see a loop's imbalance or its
# hand-off waits — it ranks configs about as -threads=1 does. So these runs time by the wall clock and must run alone.
# 1) the timer check (~2 min): wall vs CPU time, -threads=1 vs -threads=2, same configs, interleaved rounds;
# 2) the search (~10–15 min on an idle 2-core machine): GA / XGB / xgb-mutk-ps4 on MM-512 and C6, 3 seeds × 48 trials.
set -e
cd "$(dirname "$0")/../.."  # the repository root
uptime
nice -n 0 npx tsx bench/threads_timer.ts --task MM-512 --configs 6 --rounds 4 --out bench/results/search11-threads-timer-MM-512-quiet.md
for T in MM-512 C6; do
  timeout 900 npx tsx bench/search.ts --tasks $T --targets 'wasm -threads=2' --tuners ga,xgb,xgb-mutk-ps4 --seeds 3 --trials 48 \
    --plan-size 8 --ga-pop 8 --timer wall --name search11-threads2-$T --out bench/results --cache bench/out/search11-threads2-cache.jsonl --remeasure 3
  uptime
done
