// bench/search_recheck.ts — the noise check of a search bench run (never a test): the default config and the
// best few configs of each task, re-measured side by side in interleaved rounds, so that the ratio tuned/default
// is taken under the same machine load (the cached costs of bench/search.ts were taken minutes apart).
// Run: nice -n 10 npx tsx bench/search_recheck.ts [--results bench/results/search.json] [--top 3] [--rounds 3] [--configs 'C2=76602;D1=9950']

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
  },
  help: { results: "a bench/search.ts run's JSON", top: 'best configs per task', rounds: 'interleaved rounds', out: 'write the markdown table here (else stdout only)', timer: "'wall' or 'process-cpu' (wasm -threads=1 only)", configs: "more configs to time beside the best few, per task: 'C2=76602,26202;D1=9950' (e.g. another target's tuned configs)", 'build-in-process': 'build in this process, not in 2 build workers (a loaded machine can starve a worker past its start-up limit); no build timeout then' },
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
try {
  for (const { info, runs } of saved.results) {
    const { task } = taskOfWorkload(info.id, info.target);
    const def = task.defaultConfig?.();
    const cached = new Map<number, number>();
    for (const r of runs) r.configs.forEach((c, k) => cached.set(c, r.gflops[k]!));
    const top = [...cached].sort((a, b) => b[1] - a[1]).slice(0, nTop).map(([c]) => c);
    const configs = [...new Set([...(def ? [def.index] : []), ...top, ...(extra.get(info.id) ?? [])])];
    for (const c of configs) if (!task.space.isIndexValid(c)) usageError(SCRIPT, `--configs: ${c} is not a valid config of ${info.id} (space ${task.space.length})`);
    const got = new Map<number, number[]>(configs.map((c) => [c, []]));
    for (let r = 0; r < rounds; r++) {
      // One batch per round: built together, then timed one after another, all within seconds.
      const res = await mo.measureBatch(configs.map((c) => ({ task, config: task.space.entityAt(c) })));
      res.forEach((m, k) => got.get(configs[k]!)!.push(m.errorNo === 0 ? task.flop / Math.min(...m.costs) / 1e9 : 0));
      process.stderr.write(`[${info.id}] round ${r + 1}/${rounds}: ${configs.map((c) => `${c} ${got.get(c)!.at(-1)!.toFixed(2)}`).join(', ')}\n`);
    }
    const base = def ? median(got.get(def.index)!) : NaN;
    const defRounds = def ? got.get(def.index)! : [];
    for (const c of configs) {
      const g = median(got.get(c)!);
      // Under load a whole round can read low or high; the ratio within a round (configs timed seconds apart) less so.
      const ratios = got.get(c)!.map((x, r) => x / defRounds[r]!).filter((x) => Number.isFinite(x));
      const ahead = ratios.filter((x) => x > 1).length;
      const perRound = ratios.length > 0 ? `${median(ratios).toFixed(2)} (${ahead} of ${ratios.length})` : 'n/a';
      lines.push(`| ${info.id} | ${c}${c === def?.index ? ' (default)' : ''} | ${c === def?.index ? info.defaultGflops.toFixed(2) : (cached.get(c) ?? 0).toFixed(2)} | ${g.toFixed(2)} (${got.get(c)!.map((x) => x.toFixed(2)).join(', ')}) | ${(g / base).toFixed(2)} | ${perRound} |`);
    }
  }
} finally {
  await mo.close();
}
const table = lines.join('\n');
console.log(table);
if (opt.out) writeFileSync(opt.out, `${table}\n`);
process.exit(0);
