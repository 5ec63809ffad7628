// scripts/tophub_summary.ts — sums up raw TopHub tuning logs (tuning-logs/tophub/raw/*.jsonl) for the
// shipping decision: per log, its task, the trials and errors, the best record (lowest mean cost, as
// `logs best`) and the template's default config with its own measured record, so a README table and the
// "best is the default → ship it; else A/B it against the default" rule (tuning-logs/tophub/README.md)
// read from one place.
// Run: npx tsx scripts/tophub_summary.ts raw/a.jsonl raw/b.jsonl … [--best best.jsonl] [--defaults defaults.jsonl]
//   --best      writes each log's best record (one line per log) to that file
//   --defaults  writes each log's record of the default config (where it was measured) to that file

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setTemplateWarningSink } from '../autotune/apply_template.js';
import { createTask } from '../autotune/task.js';
import { registerAll } from '../ops/register.js';
import { best as bestPerWorkload } from '../tuning-logs/ops.js';
import { readEntriesSync } from '../tuning-logs/reader.js';
import { encodeRecord, meanCost, type LogRecord } from '../tuning-logs/record.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';

const { values: opts, positionals: argv } = parseArgs({
  options: { best: { type: 'string' }, defaults: { type: 'string' } },
  allowPositionals: true,
});
const bestOut = opts.best;
const defaultsOut = opts.defaults;
if (argv.length === 0) throw new Error('scripts/tophub_summary.ts: give one or more raw tuning logs');
registerAll();
setTemplateWarningSink(() => undefined);

const line = encodeRecord;
const bests: string[] = [];
const defaults: string[] = [];
console.log('| log | task | args | trials | errors | best config | best GFLOP/s | default config | default GFLOP/s | best / default |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const file of argv) {
  const recs = [...readEntriesSync(file)].map((e) => e.record);
  if (recs.length === 0) {
    console.log(`| ${file} | (empty) |`);
    continue;
  }
  const [target, name, args] = recs[0]!.input;
  if (recs.some((r) => r.input[1] !== name || JSON.stringify(r.input[2]) !== JSON.stringify(args) || r.input[0] !== target)) {
    throw new Error(`scripts/tophub_summary.ts: ${file} holds more than one task; give one raw log per task`);
  }
  const task = createTask(name, args as readonly WorkloadArg[], target);
  const defIndex = task.defaultConfig?.()?.index ?? -1;
  const ok = recs.filter((r) => r.result[1] === 0);
  // `logs best`'s rule (one task per file, so at most one winner).
  const best: LogRecord | undefined = bestPerWorkload(recs)[0];
  const def: LogRecord | undefined = bestPerWorkload(recs.filter((r) => r.config.index === defIndex))[0];
  const gf = (r: LogRecord | undefined): string => (r === undefined ? '—' : (task.flop / meanCost(r) / 1e9).toFixed(2));
  const shape = (args as readonly WorkloadArg[]).map((a) => (Array.isArray(a) && a[0] === 'TENSOR' ? (a[1] as number[]).join('x') : JSON.stringify(a))).join(', ');
  const ratio = best !== undefined && def !== undefined ? `${(meanCost(def) / meanCost(best)).toFixed(2)}×` : '—';
  const bestCell = best === undefined ? '—' : best.config.index === defIndex ? `${best.config.index} (= default)` : String(best.config.index);
  console.log(`| ${file.split('/').pop()} | ${name} | ${shape} | ${recs.length} | ${recs.length - ok.length} | ${bestCell} | ${gf(best)} | ${defIndex} | ${def === undefined ? 'not measured' : gf(def)} | ${ratio} |`);
  if (best !== undefined) bests.push(line(best));
  if (def !== undefined) defaults.push(line(def));
}
if (bestOut !== undefined) writeFileSync(bestOut, bests.map((l) => `${l}\n`).join(''));
if (defaultsOut !== undefined) writeFileSync(defaultsOut, defaults.map((l) => `${l}\n`).join(''));
process.exit(0);
