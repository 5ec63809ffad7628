// bench/search_readings.ts — every distinct config's first reading from bench/search.ts results JSONs, per task (never a
// test). A config measured in several runs or files keeps its first positive reading in file order (as
// bench/search_seed_cache.ts rebuilds a cache); failed trials (0 GFLOP/s) are not readings. Used by bench/search_best.ts
// and bench/search_parallel.ts, which group tasks differently (by id and target, or by id alone) and skip stale spaces.

import { readFileSync } from 'node:fs';
import type { SearchRun, TaskInfo } from './search_stats.js';

/** A task's first results entry in file order, and each config's first reading (GFLOP/s) over every entry kept. */
export interface TaskReadings { readonly info: TaskInfo; readonly cost: Map<number, number> }

interface Saved { results: { info: TaskInfo; runs: SearchRun[] }[] }

/**
 * Reads `files` (bench/search.ts results JSONs) in order. `keyOf` names the group a results entry belongs to, or
 * undefined to skip it (a task not asked for, a space whose indices are stale). Throws what JSON.parse / readFileSync
 * throw on a missing or malformed file.
 */
export function firstReadings(files: readonly string[], keyOf: (info: TaskInfo, file: string) => string | undefined): Map<string, TaskReadings> {
  const byKey = new Map<string, TaskReadings>();
  for (const f of files) {
    for (const { info, runs } of (JSON.parse(readFileSync(f, 'utf8')) as Saved).results) {
      const key = keyOf(info, f);
      if (key === undefined) continue;
      const t = byKey.get(key) ?? { info, cost: new Map<number, number>() };
      byKey.set(key, t);
      for (const r of runs) r.configs.forEach((c, k) => { if (!t.cost.has(c) && r.gflops[k]! > 0) t.cost.set(c, r.gflops[k]!); });
    }
  }
  return byKey;
}
