// bench/search_best.ts — where the best configs ever measured lie from the template's default (never a test). From
// several bench/search.ts results JSONs, per task: every distinct config's first reading (in file order, as
// bench/search_seed_cache.ts rebuilds a cache), the best few with their distance from the default in knobs and the
// knobs they change, and the default's one- and two-knob neighbourhoods (autotune/local_plan.ts's knobNeighbourhood):
// how many of their valid configs were measured and the best of them. Says whether the best known is one knob from the
// default (a one-knob climb reaches it) or further, and how far above the default each ring got. Nothing is timed:
// cached readings, taken at different loads; the ratios to quote come from bench/search_recheck.ts (side by side).
// Run: nice -n 15 npx tsx bench/search_best.ts --results a.json,b.json [--tasks C2,C6] [--top 5] [--out f.md]

import { writeFileSync } from 'node:fs';
import { registerAll } from '../ops/register.js';
import { benchArgs, intArg, listArg, usageError } from './bench_args.js';
import { defaultRings, indicesCarryOver, knobChanges, knobsDiffering, type Ring } from './search_rings.js';
import { firstReadings } from './search_readings.js';
import { taskOfWorkload } from './search_tasks.js';

const SCRIPT = 'bench/search_best.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: "Where the best measured configs lie from the template's default: knob distance, knobs changed, the default's measured one- and two-knob neighbourhoods (cached readings of bench/search.ts results JSONs).",
  options: {
    results: { type: 'string', default: '' },
    tasks: { type: 'string', default: '' },
    top: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
  help: {
    results: 'bench/search.ts results JSONs, comma-separated (a config seen in several: its first reading)',
    tasks: 'workload ids to keep, comma-separated (default: all)',
    top: 'best configs listed per task',
    out: 'write the markdown here (else stdout only)',
  },
});

const files = listArg(opt.results);
if (files.length === 0) usageError(SCRIPT, '--results wants at least one results JSON');
const keep = new Set(listArg(opt.tasks));
const nTop = intArg(SCRIPT, '--top', opt.top);
registerAll();
/** Results whose task space has since changed size (a knob added or removed): their config indices are stale. */
const stale: string[] = [];
/** Per `${id} ${target}`: the default's first reading and each config's first reading, in file order. */
const byTask = firstReadings(files, (info, f) => {
  if (keep.size > 0 && !keep.has(info.id)) return undefined;
  const space = taskOfWorkload(info.id, info.target).task.space;
  if (indicesCarryOver(space, info.spaceSize)) return `${info.id} ${info.target}`;
  stale.push(`${info.id} in ${f} (space ${info.spaceSize} then, ${space.length} now)`);
  return undefined;
});
const out: string[] = [`Results: ${files.join(', ')}`, '',
  '| task | default (cached GFLOP/s) | configs measured | best known (cached) ÷ default | knobs from the default | best one-knob neighbour ÷ default (measured / valid) | best two-knob neighbour ÷ default (measured / valid) | best beyond two knobs ÷ default (measured) |',
  '|---|---|---|---|---|---|---|---|'];
const details: string[] = [];
for (const { info: { id, target, defaultGflops: defG }, cost } of byTask.values()) {
  const { task } = taskOfWorkload(id, target);
  const def = task.defaultConfig?.();
  if (!def) { out.push(`| ${id} | no default config | | | | | | |`); continue; }
  const space = task.space;
  if (!cost.has(def.index)) cost.set(def.index, defG);
  const d0 = cost.get(def.index)!;
  const ranked = [...cost].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const rings = defaultRings(space, def.index, cost);
  const ring = (r: Ring): string => `${r.best ? `${(r.best.gflops / d0).toFixed(2)} (${r.best.index})` : '—'} (${r.measured}${Number.isFinite(r.valid) ? ` / ${r.valid}` : ''})`;
  const [bc, bg] = ranked[0]!;
  out.push(`| ${id} | ${d0.toFixed(2)} (${def.index}) | ${cost.size} | ${(bg / d0).toFixed(2)} (${bc}, ${bg.toFixed(2)}) | ${knobsDiffering(space, def.index, bc).length} | ${ring(rings.one)} | ${ring(rings.two)} | ${ring(rings.far)} |`);
  details.push('', `${id} (${target}), the ${nTop} best measured: config, cached GFLOP/s, ÷ default, knobs changed from the default`);
  for (const [c, g] of ranked.slice(0, nTop)) details.push(`- ${c}: ${g.toFixed(2)}, ${(g / d0).toFixed(2)}×, ${knobsDiffering(space, def.index, c).length} knobs: ${knobChanges(space, def.index, c) || 'the default'}`);
}
if (stale.length > 0) out.push('', `Left out, their config indices stale (the template's space changed since): ${stale.join('; ')}`);
const text = [...out, ...details].join('\n');
console.log(text);
if (opt.out) writeFileSync(opt.out, `${text}\n`);
