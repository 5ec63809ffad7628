// bench/search_parallel.ts — `wasm -threads=N` candidates from `-threads=1` search results (never a test). On one
// thread a config and its `parallel` twin are the same code (codegen/wasm/outline_pass.ts outlines no parallel loop
// when threads ≤ 1), so the CPU-time readings of rounds 11–14's 1-thread searches rank the parallel configs too: per
// task, every measured config with `parallel` set true (twins merged, the better reading kept), the best few. Prints
// them as a bench/search_recheck.ts `--configs` string and writes them as a tuning log for `--warm-logs` of a
// `-threads=N` bench/search.ts run (its warm start measures them first). Nothing is timed here.
// Run: nice -n 15 npx tsx bench/search_parallel.ts --results a.json,b.json [--tasks C2,C6] [--top 8] [--target 'wasm -threads=2'] [--log f.jsonl]

import { appendFileSync, writeFileSync } from 'node:fs';
import { MeasureErrorNo } from '../autotune/measure/measure_types.js';
import type { ConfigSpace } from '../autotune/space.js';
import { registerAll } from '../ops/register.js';
import { encodeRecord, toLogRecord } from '../tuning-logs/record.js';
import { benchArgs, intArg, listArg, usageError } from './bench_args.js';
import { firstReadings } from './search_readings.js';
import { indicesCarryOver } from './search_rings.js';
import { taskOfWorkload } from './search_tasks.js';

const SCRIPT = 'bench/search_parallel.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: "-threads=N candidates from -threads=1 search results: the best measured configs with the 'parallel' knob set true (a no-op on one thread), as --configs and a warm-start log.",
  options: {
    results: { type: 'string', default: '' },
    tasks: { type: 'string', default: '' },
    top: { type: 'string', default: '8' },
    target: { type: 'string', default: 'wasm -threads=2' },
    log: { type: 'string' },
  },
  help: {
    results: '-threads=1 bench/search.ts results JSONs, comma-separated (a config seen in several: its first reading)',
    tasks: 'workload ids to keep, comma-separated (default: all)',
    top: 'parallel configs kept per task (the default not counted)',
    target: 'the target the candidates are for (the log records name it)',
    log: 'write the candidates here as tuning-log records (JSONL, replaced), cost from the 1-thread reading',
  },
});

const files = listArg(opt.results);
if (files.length === 0) usageError(SCRIPT, '--results wants at least one results JSON');
const keep = new Set(listArg(opt.tasks));
const nTop = intArg(SCRIPT, '--top', opt.top);
registerAll();

/** Per workload id: each config's first reading (GFLOP/s) over the files, in order; stale spaces skipped. */
const byId = new Map([...firstReadings(files, (info) =>
  (keep.size > 0 && !keep.has(info.id)) || info.target.split(' ')[0] !== 'wasm' || !indicesCarryOver(taskOfWorkload(info.id, opt.target).task.space, info.spaceSize)
    ? undefined : info.id)].map(([id, { cost }]) => [id, cost]));

/** `config` with its 'parallel' knob set true (itself when the space has no such knob). */
function parallelTwin(space: ConfigSpace, config: number): number {
  const names = space.entityAt(config).toData().entity.map((e) => e[0]);
  const at = names.indexOf('parallel');
  if (at < 0) return config;
  const knob = space.knobSpace('parallel');
  const on = knob.kind === 'ot' ? knob.entities.findIndex((e) => e.val === true) : -1;
  if (on < 0) return config;
  const knobs = space.pointToKnobs(config);
  knobs[at] = on;
  return space.knobsToPoint(knobs);
}

const parts: string[] = [];
if (opt.log) writeFileSync(opt.log, '');
for (const [id, cost] of byId) {
  const { task } = taskOfWorkload(id, opt.target);
  const def = task.defaultConfig?.()?.index;
  const twin = new Map<number, number>();
  for (const [c, g] of cost) {
    const p = parallelTwin(task.space, c);
    if (p !== def && task.space.isIndexValid(p) && g > (twin.get(p) ?? 0)) twin.set(p, g);
  }
  const best = [...twin].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, nTop);
  console.log(`${id} (${cost.size} configs measured on 1 thread; default ${def}): ${best.map(([c, g]) => `${c} ${g.toFixed(2)}`).join(', ')}`);
  parts.push(`${id}=${best.map(([c]) => c).join(',')}`);
  if (opt.log) {
    for (const [c, g] of best) {
      appendFileSync(opt.log, `${encodeRecord(toLogRecord({ task, config: task.space.entityAt(c) }, {
        costs: [task.flop / (g * 1e9)], errorNo: MeasureErrorNo.NO_ERROR, allCost: 0, timestamp: 0,
      }))}\n`);
    }
  }
}
console.log(`--configs '${parts.join(';')}'`);
