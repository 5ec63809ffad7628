#!/bin/bash
# Round 17 (issue 13, session 19): D1 seeds 4 and 5 for xgb-local+warm and ga+warm to 400 trials (the options of rounds
# 15–16), random seeds 4 and 5 to 400, then the 5-seed table. Caches rebuilt from the saved JSONs (Round 15 §6): XGB's with
# its own seeds 4–5 (round 14, 128 trials) first, so those replay; GA's and random's from every D1 file (no earlier seed 4–5).
# Builds in process (--build-in-process): at load 16 a build worker did not start within its 120 s limit (5 failed GA trials).
# Step 3: xgb-local1+warm (the incumbent's one-knob neighbours first in the local half) replayed on seeds 1–5 from caches
# whose first readings are the baseline run's own (seeds 1–3: round 15's XGB JSONs first; seeds 4–5: this round's).
# MM-512 likewise at 128 trials (rounds 13–14's xgb-local+warm runs); C2 and C6 cannot be replayed: their space doubled
# with round 15's tile_loop knob (and C2's default changed in round 16), so their earlier XGB runs' proposals do not recur.
# Usage: bash bench/results/search-s19-D1.sh caches | xgb | ga | random | x1caches | x1 SEEDS | mmcaches | mm1 SEEDS
cd "$(dirname "$0")/../.."  # the repository root
R=bench/results
ALL=$R/search-s18-D1-random400-s1.json,$R/search-s18-D1-random400-s2.json,$R/search-s18-D1-random400-s3.json,$R/search-s17-D1-ga256-s1.json,$R/search-s18-D1-ga400-s2.json,$R/search-s18-D1-ga400-s3.json
ALL=$ALL,$R/search-s17-D1-xgb256-s1.json,$R/search-s17-D1-xgb256-s2.json,$R/search-s17-D1-xgb256-s3.json,$R/search-s14-MM-D1.json,$R/search-s15-local-MM-D1.json
OPTS="--tasks D1 --seeds 1 --trials 400 --plan-size 16 --ga-pop 16 --timer process-cpu --remeasure 0 --build-in-process --out $R"
W="--warm-logs tuning-logs/tophub/wasm_threads1.jsonl"
case "$1" in
  caches)
    npx tsx bench/search_seed_cache.ts --results $R/search-s16-local-s45.json,$ALL --tasks D1 --log bench/out/s19-D1-xgb-cache.jsonl
    npx tsx bench/search_seed_cache.ts --results $ALL,$R/search-s16-local-s45.json --tasks D1 --log bench/out/s19-D1-ga-cache.jsonl
    npx tsx bench/search_seed_cache.ts --results $ALL,$R/search-s16-local-s45.json --tasks D1 --log bench/out/s19-D1-random-cache.jsonl ;;
  xgb) for s in 4 5; do nice -n 10 npx tsx bench/search.ts $OPTS --tuners xgb-local+warm --first-seed $s $W --name search-s19-D1-xgb400-s$s --cache bench/out/s19-D1-xgb-cache.jsonl; done ;;
  ga) for s in 4 5; do nice -n 10 npx tsx bench/search.ts $OPTS --tuners 'ga+warm' --first-seed $s $W --name search-s19-D1-ga400-s$s --cache bench/out/s19-D1-ga-cache.jsonl; done ;;
  random) for s in 4 5; do nice -n 10 npx tsx bench/search.ts $OPTS --tuners random --first-seed $s --name search-s19-D1-random400-s$s --cache bench/out/s19-D1-random-cache.jsonl; done ;;
  x1caches)
    X=$R/search-s18-D1-random400-s1.json,$R/search-s18-D1-random400-s2.json,$R/search-s18-D1-random400-s3.json,$R/search-s17-D1-ga256-s1.json,$R/search-s18-D1-ga400-s2.json,$R/search-s18-D1-ga400-s3.json
    X=$X,$R/search-s14-MM-D1.json,$R/search-s15-local-MM-D1.json,$R/search-s16-local-s45.json,$R/search-s19-D1-ga400-s4.json,$R/search-s19-D1-ga400-s5.json
    X13=$R/search-s17-D1-xgb256-s1.json,$R/search-s17-D1-xgb256-s2.json,$R/search-s17-D1-xgb256-s3.json
    X45=$R/search-s19-D1-xgb400-s4.json,$R/search-s19-D1-xgb400-s5.json
    npx tsx bench/search_seed_cache.ts --results $X13,$X,$X45 --tasks D1 --log bench/out/s19-D1-x13-cache.jsonl
    npx tsx bench/search_seed_cache.ts --results $X45,$X,$X13 --tasks D1 --log bench/out/s19-D1-x45-cache.jsonl ;;
  x1) O=${OPTS/--trials 400/--trials 160}  # 160: enough to say whether 3 of 5 seeds reach 95 % within half GA's 230
    for s in $2; do C=bench/out/s19-D1-x13-cache.jsonl; [ $s -ge 4 ] && C=bench/out/s19-D1-x45-cache.jsonl
      nice -n 10 npx tsx bench/search.ts $O --tuners xgb-local1+warm --first-seed $s $W --name search-s19-D1-x1-s$s --cache $C; done ;;
  random5)  # seed 5 again, on a cache rebuilt from the JSONs (+ seed 4's): its first run (06:36–06:41, load 13–18) had 18 of 24
    # trials fail (the runner worker did not start within its 120 s limit), and a cache log replays failures
    R4=$R/search-s19-D1-random400-s4.json
    [ -f bench/out/s19-D1-random5-cache.jsonl ] || npx tsx bench/search_seed_cache.ts --results $ALL,$R/search-s16-local-s45.json,$R4 --tasks D1 --log bench/out/s19-D1-random5-cache.jsonl
    nice -n 10 npx tsx bench/search.ts $OPTS --tuners random --first-seed 5 --name search-s19-D1-random400-s5 --cache bench/out/s19-D1-random5-cache.jsonl ;;
  mmcaches)  # MM-512 (space and default as in rounds 13–14): the baseline's own readings first, per seed group
    MX=$R/search-s14-MM-D1.json,$R/search-s16-MM-ga-256.json,$R/search-s15-random.json
    npx tsx bench/search_seed_cache.ts --results $R/search-s15-MM-local.json,$R/search-s16-local-s45.json,$MX --tasks MM-512 --log bench/out/s19-MM-x13-cache.jsonl
    npx tsx bench/search_seed_cache.ts --results $R/search-s16-local-s45.json,$R/search-s15-MM-local.json,$MX --tasks MM-512 --log bench/out/s19-MM-x45-cache.jsonl ;;
  mm1) O=${OPTS/--tasks D1/--tasks MM-512}; O=${O/--trials 400/--trials 128}
    for s in $2; do C=bench/out/s19-MM-x13-cache.jsonl; [ $s -ge 4 ] && C=bench/out/s19-MM-x45-cache.jsonl
      nice -n 10 npx tsx bench/search.ts $O --tuners xgb-local1+warm --first-seed $s $W --name search-s19-MM-x1-s$s --cache $C; done ;;
esac
