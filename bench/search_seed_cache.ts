// bench/search_seed_cache.ts — a search bench's measurement cache log rebuilt from a saved results JSON
// (never a test): every distinct config a run measured, with the cost it was given (flop / GFLOP/s), as
// AutoTVM records, so a later bench round (`bench/search.ts --cache <log>`) sees the same cost for the same
// config as the earlier round and re-measures only configs new to it. Failed trials (0 GFLOP/s) are left out
// (they are measured again). The records say where they came from (device note 'seeded from <json>').
// `--exclude a.json,b.json` leaves out every config those results measured for the same task and target: what
// remains is what this run measured first (round 10: the configs session 11 measured on this machine, not the
// earlier machine's costs it replayed from its cache).
// Run: nice -n 15 npx tsx bench/search_seed_cache.ts --results bench/results/search5.json --log bench/out/search6-cache.jsonl [--tasks C2,C6,D1] [--exclude <jsons>]

import { existsSync, readFileSync } from 'node:fs';
import { MeasureErrorNo } from '../autotune/measure/measure_types.js';
import { registerAll } from '../ops/register.js';
import { toLogRecord } from '../tuning-logs/record.js';
import { appendRecord } from '../tuning-logs/writer.js';
import { benchArgs, listArg, usageError } from './bench_args.js';
import type { Task } from '../autotune/task.js';
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
    exclude: { type: 'string', default: '' },
  },
  help: {
    results: 'bench/search.ts results JSONs, comma-separated (every trial of every run; a config seen in several: its first cost)',
    log: 'the cache log to write (appended; it must not exist yet)',
    tasks: 'workload ids to take, comma-separated (default: all in the JSON)',
    exclude: 'results JSONs, comma-separated, whose configs (same task and target) are left out',
  },
});

type Saved = { results: { info: TaskInfo; runs: SearchRun[] }[] };
const readSaved = (f: string, flag: string): Saved => {
  if (!existsSync(f)) usageError(SCRIPT, `${flag} ${f}: no such file`);
  return JSON.parse(readFileSync(f, 'utf8')) as Saved;
};

registerAll();
if (existsSync(opt.log)) usageError(SCRIPT, `--log ${opt.log} exists; give a new file (seeding twice would duplicate records)`);
const want = new Set(listArg(opt.tasks));
/** Configs the --exclude results measured, per `${id} ${target}` (their default too: its cost was theirs). */
const excluded = new Map<string, Set<number>>();
for (const f of listArg(opt.exclude)) {
  for (const { info, runs } of readSaved(f, '--exclude').results) {
    const key = `${info.id} ${info.target}`;
    const set = excluded.get(key) ?? new Set<number>();
    for (const r of runs) for (const c of r.configs) set.add(c);
    const def = info.defaultGflops > 0 ? taskOfWorkload(info.id, info.target).task.defaultConfig?.() : undefined;
    if (def) set.add(def.index);
    excluded.set(key, set);
  }
}
/** Per `${id} ${target}`: the task and each config's first cost over the --results files, in order. */
const byTask = new Map<string, { task: Task; cost: Map<number, number> }>();
for (const f of listArg(opt.results)) {
  for (const { info, runs } of readSaved(f, '--results').results) {
    if (want.size > 0 && !want.has(info.id)) continue;
    const key = `${info.id} ${info.target}`;
    const entry = byTask.get(key) ?? { task: taskOfWorkload(info.id, info.target).task, cost: new Map<number, number>() };
    byTask.set(key, entry);
    const def = entry.task.defaultConfig?.();
    if (def && info.defaultGflops > 0 && !entry.cost.has(def.index)) entry.cost.set(def.index, info.defaultGflops);
    for (const r of runs) r.configs.forEach((c, k) => { if (!entry.cost.has(c) && r.gflops[k]! > 0) entry.cost.set(c, r.gflops[k]!); });
  }
}
let total = 0;
for (const [key, { task, cost }] of byTask) {
  for (const c of excluded.get(key) ?? []) cost.delete(c);
  for (const [index, g] of cost) {
    const config = task.space.entityAt(index);
    appendRecord(opt.log, toLogRecord({ task, config }, {
      costs: [task.flop / (g * 1e9)], errorNo: MeasureErrorNo.NO_ERROR, allCost: 0, timestamp: 0,
    }, { target: task.target, note: `seeded from ${opt.results}` }));
  }
  total += cost.size;
  console.log(`${key}: ${cost.size} configs`);
}
console.log(`${total} records → ${opt.log}`);
