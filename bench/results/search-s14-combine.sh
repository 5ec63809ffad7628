#!/bin/bash
# Round 12 tables (issue 13): ga+warm beside xgb+warm, 128 trials, on C2, MM-512 and D1 (seeds 1–3 in one process per
# task pair, both tuners on one shared cache; C2 seeds 4–5 where run); trials to 95 % of the gain over the default
# (trialsToGain), one SVG per task (bench/search_combine.ts).
cd "$(dirname "$0")/../.."  # the repository root
R=bench/results
F=$R/search-s14-C2.json,$R/search-s14-MM-D1.json
[ -f $R/search-s14-C2-s45.json ] && F=$F,$R/search-s14-C2-s45.json
nice -n 15 npx tsx bench/search_combine.ts --results $F --tasks C2,MM-512,D1 --tuners ga+warm,xgb+warm --name search-s14-combined
