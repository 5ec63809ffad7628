#!/bin/bash
# Round 11b tables (issue 13): ga+warm beside xgb+warm on C6 (seeds 1–3, and 4–5 where run, × 128 trials), the best known over every C6 run
# of round 11 (cold 5 seeds × 64, warm 3 × 64) and 11b; trials to 95 % of the gain over the default (trialsToGain).
cd "$(dirname "$0")/../.."  # the repository root
R=bench/results
F=$R/search13-C6.json,$R/search13-C2C6-s45.json,$R/search13-C6-warm.json,$R/search-s13b-C6-ga-warm.json,$R/search-s13b-C6-xgb-warm.json
for s in ga xgb; do [ -f $R/search-s13b-C6-$s-warm-s45.json ] && F=$F,$R/search-s13b-C6-$s-warm-s45.json; done
nice -n 15 npx tsx bench/search_combine.ts --results $F --tasks C6 --tuners ga+warm,xgb+warm --name search-s13b-combined
