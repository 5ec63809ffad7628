#!/bin/bash
# round 8 tables: all seeds (C2/C6), this round's seeds 4-5 alone, the other tasks
cd "$(dirname "$0")/../.."  # the repository root
R=bench/results
NEW=$(ls $R/search10-C*-s[45].json | paste -sd,)
nice -n 15 npx tsx bench/search_combine.ts --results $R/search5.json,$R/search7-C2.json,$R/search7-C6.json,$R/search8-C2.json,$R/search8-C2-s2.json,$R/search8-C2-s3.json,$R/search8-C6.json,$R/search8-C6-s2.json,$R/search8-C6-s3.json,$NEW --tasks C2,C6 --tuners random,ga,xgb,xgb-mut,xgb-mutk-ps4 --name search10-C2C6
nice -n 15 npx tsx bench/search_combine.ts --results $NEW --tasks C2,C6 --tuners ga,xgb,xgb-mutk-ps4 --name search10-s45
nice -n 15 npx tsx bench/search_combine.ts --results $R/search5.json,$R/search7-C2.json,$R/search7-C6.json,$R/search8-C2.json,$R/search8-C2-s2.json,$R/search8-C2-s3.json,$R/search8-C6.json,$R/search8-C6-s2.json,$R/search8-C6-s3.json --tasks C2,C6 --tuners ga,xgb,xgb-mutk-ps4 --seeds 1-3 --name search10-s123
nice -n 15 npx tsx bench/search_combine.ts --results $R/search5.json,$R/search7-D1.json,$R/search8-D1-s1.json,$R/search8-D1-s2.json,$R/search8-D1-s3.json --tasks D1,MM-512,DENSE-bert --tuners random,ga,xgb,xgb-mut,xgb-mutk-ps4 --name search10-other
