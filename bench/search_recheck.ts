// bench/search_recheck.ts — the noise check of a search bench run (never a test): the default config and the
// best few configs of each task, re-measured side by side in interleaved rounds, so that the ratio tuned/default
// is taken under the same machine load (the cached costs of bench/search.ts were taken minutes apart).
// Run: nice -n 10 npx tsx bench/search_recheck.ts [--results bench/results/search.json] [--top 3] [--rounds 3] [--configs 'C2=76602;D1=9950']
// --with-target T times every config on T too, in the same rounds (e.g. T = 'wasm -threads=1 -relaxed-simd=1': the
// same configs with fma; run Node with --experimental-wasm-relaxed-simd then), with ratios to both defaults.

import { readFileSync, writeFileSync } from 'node:fs';
import { benchArgs, intArg, usageError } from './bench_args.js';
import type { SearchRun, TaskInfo } from './search_stats.js';
import type { Timer } from '../runtime/module.js';

const SCRIPT = 'bench/search_recheck.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'The noise check of a bench/search.ts run: default and best few configs per task re-measured side by side in interleaved rounds.',
  options: {
    results: { type: 'string', default: 'bench/results/search.json' },
    top: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string' },
    timer: { type: 'string', default: 'wall' },
    configs: { type: 'string', default: '' },
    'build-in-process': { type: 'boolean', default: false },
    'with-target': { type: 'string', default: '' },
  },
  help: { results: "a bench/search.ts run's JSON", top: 'best configs per task', rounds: 'interleaved rounds', out: 'write the markdown table here (else stdout only)', timer: "'wall' or 'process-cpu' (wasm -threads=1 only)", configs: "more configs to time beside the best few, per task: 'C2=76602,26202;D1=9950' (e.g. another target's tuned configs)", 'build-in-process': 'build in this process, not in 2 build workers (a loaded machine can starve a worker past its start-up limit); no build timeout then', 'with-target': "time every config on this target too, in the same rounds (same template and space; e.g. 'wasm -threads=1 -relaxed-simd=1')" },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { localBuilder, localRunner, measureOption } = await import('../autotune/measure/measure.js');
const { registerAll } = await import('../ops/register.js');
const { median } = await import('./search_stats.js');
const { taskOfWorkload } = await import('./search_tasks.js');
const nTop = intArg(SCRIPT, '--top', opt.top);
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
/** --configs: per workload id, config indices timed beside the default and the best few. */
const extra = new Map<string, number[]>();
for (const part of opt.configs.split(';').filter((p) => p.trim() !== '')) {
  const m = /^\s*([\w-]+)=(\d+(?:,\d+)*)\s*$/.exec(part);
  if (!m) usageError(SCRIPT, `--configs wants 'ID=index,index;ID=index', got '${part}'`);
  extra.set(m[1]!, m[2]!.split(',').map(Number));
}

interface Saved { results: { info: TaskInfo; runs: SearchRun[] }[] }

registerAll();
const saved = JSON.parse(readFileSync(opt.results, 'utf8')) as Saved;
const mo = measureOption({ builder: localBuilder({ timeout: 60, nParallel: 2, inProcess: opt['build-in-process'] }), runner: localRunner({ number: 1, repeat: 3, minRepeatMs: 30, timeout: 120, timer: opt.timer as Timer }) });
const lines: string[] = ['| task | config | cached GFLOP/s | re-measured GFLOP/s (median of rounds; each the fastest repeat) | × default (re-measured) | × default, median of per-round ratios (rounds ahead) |', '|---|---|---|---|---|---|'];
const withTarget = opt['with-target'].trim();
if (withTarget !== '') lines[0] += ` × default on \`${withTarget}\`, per-round (rounds ahead) |`, lines[1] += '---|';
/** Median of per-round ratios x / base, and in how many rounds x was ahead. */
const perRound = (xs: number[], base: number[]): string => {
  const ratios = xs.map((x, r) => x / base[r]!).filter((x) => Number.isFinite(x));
  return ratios.length > 0 ? `${median(ratios).toFixed(2)} (${ratios.filter((x) => x > 1).length} of ${ratios.length})` : 'n/a';
};
try {
  for (const { info, runs } of saved.results) {
    const { task } = taskOfWorkload(info.id, info.target);
    const task2 = withTarget !== '' ? taskOfWorkload(info.id, withTarget).task : undefined;
    if (task2 && (task2.name !== task.name || task2.space.length !== task.space.length)) {
      usageError(SCRIPT, `--with-target: ${info.id} on '${withTarget}' is ${task2.name} (space ${task2.space.length}), on '${info.target}' ${task.name} (space ${task.space.length}); the configs must mean the same`);
    }
    const def = task.defaultConfig?.();
    // The other target's default (its fallback may differ, e.g. by thread count) is timed on both targets too.
    const def2 = task2?.defaultConfig?.();
    const cached = new Map<number, number>();
    for (const r of runs) r.configs.forEach((c, k) => cached.set(c, r.gflops[k]!));
    const top = [...cached].sort((a, b) => b[1] - a[1]).slice(0, nTop).map(([c]) => c);
    const configs = [...new Set([...(def ? [def.index] : []), ...(def2 ? [def2.index] : []), ...top, ...(extra.get(info.id) ?? [])])];
    for (const c of configs) if (!task.space.isIndexValid(c)) usageError(SCRIPT, `--configs: ${c} is not a valid config of ${info.id} (space ${task.space.length})`);
    // Rows: every config on the results' target, then (with --with-target) every config on the other one.
    const rows = [...configs.map((c) => ({ c, t: task })), ...(task2 ? configs.map((c) => ({ c, t: task2 })) : [])];
    const got = rows.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      // One batch per round: built together, then timed one after another, all within seconds.
      const res = await mo.measureBatch(rows.map(({ c, t }) => ({ task: t, config: t.space.entityAt(c) })));
      res.forEach((m, k) => got[k]!.push(m.errorNo === 0 ? task.flop / Math.min(...m.costs) / 1e9 : 0));
      process.stderr.write(`[${info.id}] round ${r + 1}/${rounds}: ${rows.map(({ c, t }, k) => `${c}${t === task ? '' : '+'} ${got[k]!.at(-1)!.toFixed(2)}`).join(', ')}\n`);
    }
    const defRow = def ? configs.indexOf(def.index) : -1;
    const defRounds = defRow >= 0 ? got[defRow]! : [];
    const defRounds2 = task2 && def2 ? got[configs.length + configs.indexOf(def2.index)]! : [];
    const base = defRow >= 0 ? median(defRounds) : NaN;
    rows.forEach(({ c, t }, k) => {
      const g = median(got[k]!);
      const name = `${c}${c === (t === task ? def : def2)?.index ? ' (default)' : ''}${t === task ? '' : ` on \`${withTarget}\``}`;
      // Under load a whole round can read low or high; the ratio within a round (configs timed seconds apart) less so.
      lines.push(`| ${info.id} | ${name} | ${t !== task ? '—' : c === def?.index ? info.defaultGflops.toFixed(2) : (cached.get(c) ?? 0).toFixed(2)} | ${g.toFixed(2)} (${got[k]!.map((x) => x.toFixed(2)).join(', ')}) | ${(g / base).toFixed(2)} | ${perRound(got[k]!, defRounds)} |${task2 ? ` ${perRound(got[k]!, defRounds2)} |` : ''}`);
    });
  }
} finally {
  await mo.close();
}
const table = lines.join('\n');
console.log(table);
if (opt.out) writeFileSync(opt.out, `${table}\n`);
process.exit(0);
