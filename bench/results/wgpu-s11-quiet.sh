#!/bin/bash
# Session 11 (wgpu11): the subgroup target's conv default (1 output channel × 7 × 7 pixels a lane) and the
# conv2d_winograd.webgpu default beside tfjs-webgpu, WALL CLOCK on a quiet machine (the lead runs it after
# 06:10 UTC, nothing else running). Each line prints default / variants / tfjs-webgpu in GFLOP/s (best of 3
# interleaved rounds; Winograd counted at the direct conv's FLOPs) and the ratios. Output: paste into
# bench/results/wgpu-s11-quiet.md with the date and `uptime`. ~2 min a line on 2 cores.
cd "$(dirname "$0")/../.."  # the repository root
OLD='"s10":{"tile_co":[-1,8,4],"tile_oh":[-1,1,4],"tile_ow":[-1,1,4]}'        # session 10's default (C2, C6)
OLD9='"s10":{"tile_co":[-1,8,4],"tile_oh":[-1,1,7],"tile_ow":[-1,1,2]}'       # session 10's default (C9)
OLD12='"s10":{"tile_co":[-1,8,4],"tile_oh":[-1,1,7],"tile_ow":[-1,1,7]}'      # session 10's default (C12)
uptime
for w in C2 C6; do npx tsx bench/webgpu_tiles.ts $w "{$OLD}" --subgroups --winograd 2>&1 | grep -v '^Warning'; uptime; done
npx tsx bench/webgpu_tiles.ts C9 "{$OLD9}" --subgroups --winograd 2>&1 | grep -v '^Warning'; uptime
npx tsx bench/webgpu_tiles.ts C12 "{$OLD12}" --subgroups --winograd 2>&1 | grep -v '^Warning'; uptime
# Second pass (tfjs-webgpu's time moves ±20 % between runs): the defaults alone.
for w in C2 C6 C9 C12; do npx tsx bench/webgpu_tiles.ts $w --subgroups 2>&1 | grep -v '^Warning'; uptime; done
npx tsx bench/webgpu_tiles.ts mm:512,512,512 --subgroups 2>&1 | grep -v '^Warning'; uptime
