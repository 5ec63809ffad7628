// bench/search_combine.ts — one table from several bench/search.ts results JSONs (never a test): the runs of
// (task, tuner, seed) gathered across files (a later file's run replaces an earlier one of the same key), then per
// task and tuner the median and spread of final bests, trials to 90/95 % of the best known, tuned over the
// template's default, throughput (trials per minute) and wasted trials (a config proposed twice in one job, or a
// failed trial); a combined JSON (for bench/search_recheck.ts), a markdown file and one SVG per task.
// Run: nice -n 15 npx tsx bench/search_combine.ts --results a.json,b.json --tuners ga,xgb --tasks C2,C6 --name search10-C2C6

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchArgs, listArg, usageError } from './bench_args.js';
import { bestSoFar, median, svgCurves, trialsTo, trialsToGain, wastedTrials, type SearchRun, type TaskInfo } from './search_stats.js';

const SCRIPT = 'bench/search_combine.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'One table from several bench/search.ts results JSONs: per task and tuner, final bests across seeds, trials to 90/95 % of the best known, × default, trials per minute, wasted trials.',
  options: {
    results: { type: 'string', default: '' },
    tuners: { type: 'string', default: '' },
    tasks: { type: 'string', default: '' },
    seeds: { type: 'string', default: '' },
    'rename': { type: 'string', default: '' },
    out: { type: 'string', default: 'bench/results' },
    name: { type: 'string', default: 'search-combined' },
  },
  help: {
    results: 'results JSONs, comma-separated, in order (a later run of the same task, tuner and seed replaces an earlier one)',
    tuners: 'tuners to keep, comma-separated, in table order (default: all)',
    tasks: 'workload ids to keep, comma-separated (default: all)',
    seeds: 'seeds to keep, e.g. 1-5 (default: all)',
    rename: "tuner renames applied on reading, e.g. 'xgb-tvm=xgb' (a file that named AutoTVM's plan otherwise)",
    out: 'output folder',
    name: 'file name prefix of the outputs',
  },
});

interface Saved { meta?: { command?: string }; results: { info: TaskInfo; runs: SearchRun[] }[] }

const files = listArg(opt.results);
if (files.length === 0) usageError(SCRIPT, '--results wants at least one results JSON');
const keepTuners = listArg(opt.tuners);
const keepTasks = new Set(listArg(opt.tasks));
const rename = new Map(listArg(opt.rename).map((kv) => kv.split('=') as [string, string]));
let seedLo = -Infinity, seedHi = Infinity;
if (opt.seeds !== '') {
  const m = /^(\d+)(?:-(\d+))?$/.exec(opt.seeds);
  if (!m) usageError(SCRIPT, `--seeds wants N or N-M, got '${opt.seeds}'`);
  seedLo = Number(m[1]); seedHi = Number(m[2] ?? m[1]);
}

/** Per task: its info (the first file's, with the default as measured there) and its runs by tuner/seed. */
const tasks = new Map<string, { info: TaskInfo; runs: Map<string, SearchRun & { file: string }>; best: [number, number | null] }>();
const commands: string[] = [];
for (const f of files) {
  const saved = JSON.parse(readFileSync(f, 'utf8')) as Saved;
  if (saved.meta?.command) commands.push(saved.meta.command);
  for (const { info, runs } of saved.results) {
    if (keepTasks.size > 0 && !keepTasks.has(info.id)) continue;
    const t = tasks.get(info.id) ?? { info, runs: new Map(), best: [info.defaultGflops, null] };
    tasks.set(info.id, t);
    for (const r0 of runs) {
      // The best known is over every run of every file (all tuners and seeds, kept or not) and the default.
      r0.gflops.forEach((g, k) => { if (g > t.best[0]) t.best = [g, r0.configs[k]!]; });
      const r = { ...r0, tuner: rename.get(r0.tuner) ?? r0.tuner, file: f };
      if (keepTuners.length > 0 && !keepTuners.includes(r.tuner)) continue;
      if (r.seed < seedLo || r.seed > seedHi) continue;
      t.runs.set(`${r.tuner}#${r.seed}`, r);
    }
  }
}

const f2 = (x: number): string => x.toFixed(2);
const trialsCell = (x: number, n: number): string => (Number.isNaN(x) ? 'n/a' : Number.isFinite(x) ? String(x) : `>${n}`);
const out: string[] = [`# Combined search runs (${new Date().toISOString()})`, '', `Files: ${files.map((f) => `\`${f}\``).join(', ')}`, ''];
const combined: Saved = { results: [] };
const fin = (r: SearchRun): number => bestSoFar(r.gflops).at(-1) ?? 0;

// Round 11: "95 % of the best known" is met at trial 1 by any warm start when the default is within 5 % of the best
// known; the gain column counts trials to the default + 95 % of the best known's gain over it (trialsToGain).
out.push('| task | tuner | seeds | final best GFLOP/s median (min–max) | per seed | trials to 90 % median; per seed | trials to 95 % median; per seed | trials to 95 % of the gain over the default median; per seed | median best / default (cached) |');
out.push('|---|---|---|---|---|---|---|---|---|');
const tput: string[] = ['| task | tuner | jobs | real measurements | s per real measurement | search s per trial | trials/min from scratch | trials/min as run (cache hits included) | configs re-proposed in a job | failed trials |', '|---|---|---|---|---|---|---|---|---|---|'];
for (const [id, { info, runs, best: [bestKnown, bestConfig] }] of tasks) {
  const rs = [...runs.values()];
  const tuners = keepTuners.length > 0 ? keepTuners.filter((t) => rs.some((r) => r.tuner === t)) : [...new Set(rs.map((r) => r.tuner))];
  for (const t of tuners) {
    const tunerRuns = rs.filter((r) => r.tuner === t).sort((a, b) => a.seed - b.seed);
    const n = Math.min(...tunerRuns.map((r) => r.gflops.length));
    const fb = tunerRuns.map(fin);
    const c = tunerRuns.map((r) => bestSoFar(r.gflops));
    const t90 = c.map((x) => trialsTo(x, bestKnown, 0.9)), t95 = c.map((x) => trialsTo(x, bestKnown, 0.95));
    const g95 = c.map((x) => trialsToGain(x, bestKnown, info.defaultGflops, 0.95));
    out.push(`| ${id} | ${t} | ${tunerRuns.map((r) => r.seed).join(',')} | ${f2(median(fb))} (${f2(Math.min(...fb))}–${f2(Math.max(...fb))}) | ${fb.map(f2).join(' / ')} | ${trialsCell(median(t90), n)}; ${t90.map((x) => trialsCell(x, n)).join(', ')} | ${trialsCell(median(t95), n)}; ${t95.map((x) => trialsCell(x, n)).join(', ')} | ${trialsCell(median(g95), n)}; ${g95.map((x) => trialsCell(x, n)).join(', ')} | ${info.defaultGflops > 0 ? f2(median(fb) / info.defaultGflops) : 'n/a'} |`);
    // Throughput: only jobs that measured for real say how long a measurement takes; search time is wall minus measuring.
    const real = tunerRuns.reduce((a, r) => a + r.realMeasured, 0), mSec = tunerRuns.reduce((a, r) => a + r.measureSeconds, 0);
    const trials = tunerRuns.reduce((a, r) => a + r.gflops.length, 0);
    const search = tunerRuns.reduce((a, r) => a + Math.max(0, r.wallSeconds - r.measureSeconds), 0) / trials;
    const perMeas = real > 0 ? mSec / real : NaN;
    const w = tunerRuns.map(wastedTrials);
    tput.push(`| ${id} | ${t} | ${tunerRuns.length} | ${real} | ${Number.isFinite(perMeas) ? f2(perMeas) : 'n/a'} | ${f2(search)} | ${Number.isFinite(perMeas) ? (60 / (perMeas + search)).toFixed(1) : 'n/a'} | ${(60 * trials / tunerRuns.reduce((a, r) => a + r.wallSeconds, 0)).toFixed(1)} | ${w.reduce((a, x) => a + x.repeats, 0)} | ${w.reduce((a, x) => a + x.failed, 0)} (${w.map((x) => x.failed).join(', ')}) |`);
  }
  const merged: TaskInfo = { ...info, bestKnown, bestConfig, remeasured: [], defaultAgain: NaN };
  combined.results.push({ info: merged, runs: rs.map(({ file: _f, ...r }) => r) });
  out.push(`| ${id} | best known ${f2(bestKnown)} (config ${bestConfig ?? 'default'}; over every run of the files); default ${f2(info.defaultGflops)} (cached) | | | | | | | |`);
  writeFileSync(join(opt.out, `${opt.name}-${id}.svg`), svgCurves(merged, rs.filter((r) => tuners.includes(r.tuner)).sort((a, b) => tuners.indexOf(a.tuner) - tuners.indexOf(b.tuner) || a.seed - b.seed)));
}
out.push('', 'Throughput and waste (search s per trial = wall minus real measuring, over all trials of the jobs; trials/min from scratch = 60 / (s per real measurement + search s per trial)):', '', ...tput, '');
out.push('Runs: ' + [...tasks].map(([id, t]) => `${id}: ${[...t.runs.values()].map((r) => `${r.tuner} s${r.seed} ← ${r.file}`).join('; ')}`).join(' · '), '');
out.push('Commands of the files:', '', ...commands.map((c) => `    ${c}`), '');
writeFileSync(join(opt.out, `${opt.name}.md`), out.join('\n'));
writeFileSync(join(opt.out, `${opt.name}.json`), JSON.stringify(combined, null, 1));
console.log(out.join('\n'));
