#!/bin/bash
# session 15 dense15: DENSE-fc on the 'wasm' family target (2 threads here), wall clock (process-cpu is refused for threads), warm start.
cd /work/wt-dense15
R=bench/results/raw15
while pgrep -f "/tmp/d15/tune.sh" > /dev/null; do sleep 5; done
run() { # id op shape constb
  local id=$1 op=$2 shape=$3 cb=$4
  echo "== $id $op $shape $cb start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  nice -n 10 node dist/cli/main.js tune --op $op --shape $shape $cb --target 'wasm' --trials ${TRIALS:-24} --tuner xgb --plan-size 8 \
    --warm-start default,tuning-logs/tophub/wasm.jsonl --timeout 30 -o $R/dense15_${id}.jsonl --resume --quiet --json > $R/dense15_${id}.out 2>&1
  echo "== $id end $(date -u +%T) rc $? load $(cut -d' ' -f1-3 /proc/loadavg)"
}
run DENSE-fc-pp-wasm dense 1,1024,1000 --const-b
run DENSE-fc-plain-wasm dense 1,1024,1000 ""
