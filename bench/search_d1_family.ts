// bench/search_d1_family.ts — D1's best code family in saved search runs (never a test): for every D1 run of the given
// bench/results JSONs, the first trial that measured a member of the family that holds every config read at ≥ 95 % of
// the best known (tile_co 1, tile_oh 1, tile_ow 4, reorder 0, vectorized, padding inlined, vec_axis ow, auto_unroll 16 or
// 64; any unroll_kw, any parallel — a no-op at 1 thread), whatever its reading, beside the first trial at ≥ 95 % of 30.00
// (docs/search.md, round 17: the members read 21.7–30.0 depending on when they were measured).
// Run: npx tsx bench/search_d1_family.ts search-s19-D1-xgb400-s4.json search-s19-D1-ga400-s4.json (names under bench/results/)
import { readFileSync } from 'node:fs';
import { registerAll } from '../ops/register.js';
import { taskOfWorkload } from './search_tasks.js';
registerAll();
const { task } = taskOfWorkload('D1', 'wasm -threads=1');
const sp = task.space;
const fam = (c: number): boolean => { const k = sp.pointToKnobs(c); return k[0] === 0 && k[1] === 0 && k[2] === 2 && k[3] === 0 && k[5] === 0 && k[6] === 1 && k[7]! >= 1 && k[9] === 0; };
const rows: Record<string, string[]> = {};
for (const f of process.argv.slice(2)) {
  const j = JSON.parse(readFileSync('bench/results/' + f, 'utf8'));
  for (const r of j.results) { if (r.info.id !== 'D1') continue; for (const run of r.runs) {
    const at = run.configs.findIndex(fam);
    const at95 = run.gflops.findIndex((g: number) => g >= 0.95 * 30.003469669455658);
    (rows[run.tuner] ??= []).push(`s${run.seed}: family ${at < 0 ? '>' + run.configs.length : at + 1}${at >= 0 ? ' (' + run.configs[at] + ' ' + run.gflops[at].toFixed(1) + ')' : ''}, 95% ${at95 < 0 ? '>' + run.configs.length : at95 + 1}`);
  } }
}
for (const [t, v] of Object.entries(rows)) console.log(t + '\n  ' + v.join('\n  '));
let n = 0; for (let i = 0; i < sp.length; i++) if (fam(i) && sp.isIndexValid(i)) n++;
console.log('family size (valid):', n, 'valid configs', (() => { let m = 0; for (let i = 0; i < sp.length; i++) if (sp.isIndexValid(i)) m++; return m; })());
