#!/bin/bash
# session 15 dense15: tune the prepacked tasks (and DENSE-fc's plain task) on wasm -threads=1, CPU time, warm start.
cd /work/wt-dense15
R=bench/results/raw15
run() { # id op shape constb
  local id=$1 op=$2 shape=$3 cb=$4
  echo "== $id $op $shape $cb start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  nice -n 10 node dist/cli/main.js tune --op $op --shape $shape $cb --target 'wasm -threads=1' --trials ${TRIALS:-24} --tuner xgb --plan-size 8 \
    --warm-start default,tuning-logs/tophub/wasm_threads1.jsonl --timer process-cpu --timeout 30 -o $R/dense15_${id}.jsonl --resume --quiet --json > $R/dense15_${id}.out 2>&1
  echo "== $id end $(date -u +%T) rc $? load $(cut -d' ' -f1-3 /proc/loadavg)"
}
run DENSE-fc-pp dense 1,1024,1000 --const-b
run DENSE-fc-plain dense 1,1024,1000 ""
run MM-skinny-pp matmul 32,512,512 --const-b
run DENSE-bert-pp dense 128,768,3072 --const-b
