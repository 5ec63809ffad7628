#!/bin/bash
# round 9 tables: the WebGPU task (MM-512 on lavapipe, process CPU time) and xgb-mut-ps4 on C2/C6 beside rounds 4-8.
cd "$(dirname "$0")/../.."  # the repository root
R=bench/results
WG=$(ls $R/search11-webgpu-MM-512-s[123].json $R/search11-webgpu-MM-512-mutk-s[12].json 2>/dev/null | paste -sd,)
nice -n 15 npx tsx bench/search_combine.ts --results $WG --tasks MM-512 --tuners random,ga,xgb,xgb-mutk-ps4 --name search11-webgpu
MP=$(ls $R/search11-C[26]-xgb-mut-ps4-s*.json | paste -sd,)
OLD=$R/search5.json,$R/search7-C2.json,$R/search7-C6.json,$R/search8-C2.json,$R/search8-C2-s2.json,$R/search8-C2-s3.json,$R/search8-C6.json,$R/search8-C6-s2.json,$R/search8-C6-s3.json,$(ls $R/search10-C*-s[45].json | paste -sd,)
nice -n 15 npx tsx bench/search_combine.ts --results $OLD,$MP --tasks C2,C6 --tuners ga,xgb,xgb-mutk-ps4,xgb-mut-ps4 --name search11-C2C6
