#!/bin/bash
# round 11 tables (issue 13): every run of this round on this AMD VM, one combined table per task, trials to 95 % of the
# best known and of the gain over the default (bench/search_stats.ts trialsToGain), an SVG per task.
cd "$(dirname "$0")/../.."  # the repository root
R=bench/results
F=$R/search13-C2.json,$R/search13-C6.json
[ -f $R/search13-C2C6-s45.json ] && F=$F,$R/search13-C2C6-s45.json
[ -f $R/search13-C2-warm.json ] && F=$F,$R/search13-C2-warm.json
F=$F,$R/search13-C6-warm.json,$R/search13-MM-512-warm.json,$R/search13-D1.json
nice -n 15 npx tsx bench/search_combine.ts --results $F --tuners ga,xgb,xgb-mutk-ps4,xgb+warm10,xgb+warm --name search13-combined
