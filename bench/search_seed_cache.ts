// bench/search_seed_cache.ts — a search bench's measurement cache log rebuilt from a saved results JSON
// (never a test): every distinct config a run measured, with the cost it was given (flop / GFLOP/s), as
// AutoTVM records, so a later bench round (`bench/search.ts --cache <log>`) sees the same cost for the same
// config as the earlier round and re-measures only configs new to it. Failed trials (0 GFLOP/s) are left out
// (they are measured again). The records say where they came from (device note 'seeded from <json>').
// Run: nice -n 15 npx tsx bench/search_seed_cache.ts --results bench/results/search5.json --log bench/out/search6-cache.jsonl [--tasks C2,C6,D1]

import { existsSync, readFileSync } from 'node:fs';
import { MeasureErrorNo } from '../autotune/measure/measure_types.js';
import { registerAll } from '../ops/register.js';
import { toLogRecord } from '../tuning-logs/record.js';
import { appendRecord } from '../tuning-logs/writer.js';
import { benchArgs, listArg, usageError } from './bench_args.js';
import type { SearchRun, TaskInfo } from './search_stats.js';
import { taskOfWorkload } from './search_tasks.js';

const SCRIPT = 'bench/search_seed_cache.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: "Rebuilds a search bench's measurement cache log from its results JSON (each distinct measured config once, cost = flop / GFLOP/s).",
  options: {
    results: { type: 'string', default: 'bench/results/search5.json' },
    log: { type: 'string', default: 'bench/out/search-seeded-cache.jsonl' },
    tasks: { type: 'string', default: '' },
  },
  help: {
    results: 'a bench/search.ts results JSON (every trial of every run)',
    log: 'the cache log to write (appended; it must not exist yet)',
    tasks: 'workload ids to take, comma-separated (default: all in the JSON)',
  },
});

registerAll();
if (existsSync(opt.log)) usageError(SCRIPT, `--log ${opt.log} exists; give a new file (seeding twice would duplicate records)`);
const saved = JSON.parse(readFileSync(opt.results, 'utf8')) as { results: { info: TaskInfo; runs: SearchRun[] }[] };
const want = new Set(listArg(opt.tasks));
let total = 0;
for (const { info, runs } of saved.results) {
  if (want.size > 0 && !want.has(info.id)) continue;
  const { task } = taskOfWorkload(info.id, info.target);
  const cost = new Map<number, number>();
  const def = task.defaultConfig?.();
  if (def && info.defaultGflops > 0) cost.set(def.index, info.defaultGflops);
  for (const r of runs) r.configs.forEach((c, k) => { if (!cost.has(c) && r.gflops[k]! > 0) cost.set(c, r.gflops[k]!); });
  for (const [index, g] of cost) {
    const config = task.space.entityAt(index);
    appendRecord(opt.log, toLogRecord({ task, config }, {
      costs: [task.flop / (g * 1e9)], errorNo: MeasureErrorNo.NO_ERROR, allCost: 0, timestamp: 0,
    }, { target: task.target, note: `seeded from ${opt.results}` }));
  }
  total += cost.size;
  console.log(`${info.id} ${info.target}: ${cost.size} configs`);
}
console.log(`${total} records → ${opt.log}`);
