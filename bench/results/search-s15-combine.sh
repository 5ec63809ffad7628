#!/bin/bash
# Round 13 tables (issue 13), bench/search_combine.ts:
# 1. random (cold, 128 trials, 3 seeds) beside round 12's ga+warm / xgb+warm on MM-512 and C2 — random ran on a cache
#    rebuilt from round 12's results JSONs (bench/search_seed_cache.ts), so a config both rounds measured has one cost;
# 2. xgb-local+warm (localShare 0.5) beside round 12's xgb+warm on C2 seeds 1, 3, 4 (same seeded cache).
# The best known is over every run of the files (round 13's local runs included).
cd "$(dirname "$0")/../.."  # the repository root
R=bench/results
S14=$R/search-s14-C2.json,$R/search-s14-C2-s45.json,$R/search-s14-MM-D1.json
LOCAL=$(ls $R/search-s15-C2-local-s*.json 2>/dev/null | grep -v combined | paste -sd, -)
nice -n 15 npx tsx bench/search_combine.ts --results $S14,$R/search-s15-random.json${LOCAL:+,$LOCAL} --tasks MM-512,C2 \
  --tuners random,ga+warm,xgb+warm,xgb-local+warm --name search-s15-combined
nice -n 15 npx tsx bench/search_combine.ts --results $S14${LOCAL:+,$LOCAL} --tasks C2 --seeds 1-5 \
  --tuners xgb+warm,xgb-local+warm --name search-s15-local-combined
# 3. xgb-local+warm on MM-512, D1 (3 seeds, caches rebuilt from round 12's JSON) and C6 (3 seeds, cache rebuilt from round
#    11b's xgb+warm JSONs) beside round 12's / 11b's xgb+warm on the same seeds.
nice -n 15 npx tsx bench/search_combine.ts --results $R/search-s14-MM-D1.json,$R/search-s15-MM-local.json,$R/search-s15-D1-local.json --tasks MM-512,D1 \
  --tuners xgb+warm,xgb-local+warm --name search-s15-local-MM-D1
nice -n 15 npx tsx bench/search_combine.ts --results $R/search-s13b-C6-xgb-warm.json,$R/search-s13b-C6-xgb-warm-s45.json,$R/search-s13b-C6-ga-warm.json,$R/search-s13b-C6-ga-warm-s45.json,$R/search-s15-C6-local.json \
  --tasks C6 --seeds 1-3 --tuners ga+warm,xgb+warm,xgb-local+warm --name search-s15-local-C6
