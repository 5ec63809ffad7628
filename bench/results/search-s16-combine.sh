#!/bin/bash
# Round 14 tables (issue 13), bench/search_combine.ts and bench/search_best.ts:
# 1. C2 at 256 trials: ga+warm and xgb-local+warm (= xgb+warm since round 13: localShare 0.5 with a warm start) seeds 1–3,
#    on a cache rebuilt from rounds 12–13's C2 JSONs (bench/search_seed_cache.ts), so their first 128 trials replay
#    rounds 12–13 exactly (same configs, same readings) and only trials 129–256 measured anew; round 13's random (128
#    trials) and round 12's xgb+warm (localShare 0, 128 trials) beside them. (Random seed 1 at 256,
#    search-s16-C2-random-256.json, is left out of the table: the other seeds stopped at 128; quoted in docs/search.md.)
# 2. random (128 trials, 3 seeds) on C6 and D1, and xgb-local+warm seeds 4–5 on MM-512, D1, C6 (5 seeds with round 13's),
#    beside rounds 11b/12's warm pairs and round 13's random (MM-512).
# 3. bench/search_best.ts over every wasm -threads=1 JSON of rounds 11b–14 (and round 10's DENSE-bert): where the best
#    configs lie from the default in knobs, the default's measured one- and two-knob rings.
cd "$(dirname "$0")/../.."  # the repository root
R=bench/results
C2=$R/search-s14-C2.json,$R/search-s14-C2-s45.json,$R/search-s15-random.json,$(ls $R/search-s15-C2-local-s*.json | paste -sd, -),$R/search-s16-C2-256.json
nice -n 15 npx tsx bench/search_combine.ts --results $C2 --tasks C2 --seeds 1-3 --tuners random,ga+warm,xgb+warm,xgb-local+warm --name search-s16-C2
C6=$R/search-s13b-C6-xgb-warm.json,$R/search-s13b-C6-xgb-warm-s45.json,$R/search-s13b-C6-ga-warm.json,$R/search-s13b-C6-ga-warm-s45.json,$R/search-s15-C6-local.json
OTHER=$R/search-s14-MM-D1.json,$R/search-s15-random.json,$R/search-s15-MM-local.json,$R/search-s15-D1-local.json,$C6,$R/search-s16-random.json,$R/search-s16-local-s45.json
nice -n 15 npx tsx bench/search_combine.ts --results $OTHER --tasks MM-512,D1,C6 --tuners random,ga+warm,xgb+warm,xgb-local+warm --name search-s16-combined
nice -n 15 npx tsx bench/search_best.ts --results $C2,$OTHER,$R/search12-DENSE-bert.json --top 5 --out $R/search-s16-best.md
# 4. ga+warm at 256 trials on C6 and MM-512, seeds 1–3 (caches rebuilt with GA's own readings first, so trials 1–128
#    replay rounds 11b / 12), beside xgb-local+warm (128 trials) on the same seeds: "half GA's trials" uncensored there.
GA6=$C6,$R/search-s16-random.json,$R/search-s16-local-s45.json,$R/search-s16-C6-ga-256.json
GAMM=$R/search-s14-MM-D1.json,$R/search-s15-random.json,$R/search-s15-MM-local.json,$R/search-s16-local-s45.json,$R/search-s16-MM-ga-256.json
nice -n 15 npx tsx bench/search_combine.ts --results $GA6 --tasks C6 --seeds 1-3 --tuners ga+warm,xgb-local+warm --name search-s16-ga256-C6
nice -n 15 npx tsx bench/search_combine.ts --results $GAMM --tasks MM-512 --seeds 1-3 --tuners ga+warm,xgb-local+warm --name search-s16-ga256-MM
