// bench/search.ts — search quality (never a test): random, GA and XGBoost-guided search (rank loss, regression
// loss, transfer from another shape's log) on workloads of ../shared/workloads.json, several seeds each.
// Per task: best known config, the default schedule's cost, median and spread of best-so-far curves (SVG),
// trials to 90 % / 95 % of the best known, final best, trials per minute; a markdown table.
// All runs of one task share a measurement cache (bench/search_cache.ts): each distinct config is measured
// once and every tuner/seed that proposes it gets the same cost — fair (same noise) and affordable.
// Run: nice -n 10 npx tsx bench/search.ts [--tasks MM-512,DENSE-bert,C2,C6,D1] [--targets 'wasm -threads=1']
//      [--tuners random,ga,xgb,xgb-reg,xgb-transfer] [--seeds 3] [--trials 128] [--plan-size 32] [--out bench/results]
// Extra tuner names for the "means" of issue 13: xgb-knob, xgb-curve (feature types), xgb-div (diversity pick).

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, getPriority } from 'node:os';
import { join } from 'node:path';
import type { Task } from '../autotune/task.js';
import type { Tuner } from '../autotune/tuner.js';
import type { Timer } from '../runtime/module.js';
import { benchArgs, intArg, listArg } from './bench_args.js';
import type { SearchRun, TaskInfo, TunerSummary } from './search_stats.js';


const { values: opt } = benchArgs({
  script: 'bench/search.ts',
  about: 'Search quality: random, GA and XGB-guided tuners on workloads of ../shared/workloads.json, several seeds each; curves (SVG), trials to 90/95 % of the best known, a markdown table.',
  options: {
    tasks: { type: 'string', default: 'MM-512,DENSE-bert,C2,C6,D1' },
    targets: { type: 'string', default: 'wasm -threads=1' },
    tuners: { type: 'string', default: 'random,ga,xgb,xgb-reg,xgb-transfer' },
    seeds: { type: 'string', default: '3' },
    /** The first seed (seeds firstSeed … firstSeed + seeds − 1), so one seed can run in a process of its own. */
    'first-seed': { type: 'string', default: '1' },
    trials: { type: 'string', default: '128' },
    /** Model refit every planSize results (AutoTVM: 64; with 128 trials that leaves one model-guided plan). */
    'plan-size': { type: 'string', default: '32' },
    /** GA population (AutoTVM: 100, i.e. 100 random trials before the first generation). */
    'ga-pop': { type: 'string', default: '32' },
    batch: { type: 'string', default: '8' },
    /** Records of the transfer source task (random search, cached like everything else). */
    'transfer-trials': { type: 'string', default: '64' },
    /**
     * 'per-seed' (default): seed s warm-starts from its own random sample of the source (RandomTuner seed
     * 1000 + s, `--transfer-trials` configs), so seeds repeat the whole experiment "transfer from a random
     * log"; 'shared': every seed reads the same log (the base model, hence the first plan, is then the same);
     * 'log': every record of the source task the cache log holds (an earlier round's tuning of that shape,
     * e.g. bench/search_seed_cache.ts from round 4's CPU-timed runs), nothing measured for it.
     */
    'transfer-sample': { type: 'string', default: 'per-seed' },
    /** Fewest source records of one feature length for the base model (AutoTVM: 500). */
    'transfer-min': { type: 'string', default: '16' },
    /** Source workload per task for xgb-transfer, e.g. MM-512=MM-128,C2=C6 (defaults below). */
    'transfer-from': { type: 'string', default: '' },
    /** Re-measure the best few configs of each task at the end (noise check). */
    remeasure: { type: 'string', default: '3' },
    /** Rounds of that side-by-side re-measurement (default config + best few, built and timed together). */
    'remeasure-rounds': { type: 'string', default: '3' },
    repeat: { type: 'string', default: '3' },
    /** The cost of a config: its fastest repeat ('min', least disturbed by other jobs) or the mean of its repeats. */
    statistic: { type: 'string', default: 'min' },
    /** What a measurement reads: 'wall' or 'process-cpu' (steady under other jobs' load; wasm -threads=1 only). */
    timer: { type: 'string', default: 'wall' },
    cache: { type: 'string', default: 'bench/results/search-cache.jsonl' },
    'no-cache-file': { type: 'boolean', default: false },
    /** Build candidates in this process instead of 2 build workers (a loaded machine can starve a worker's start-up past its limit). */
    'build-in-process': { type: 'boolean', default: false },
    /** Tuning logs a `+warm` tuner warm-starts from (TuneOptions.warmStart: the default, then their best configs of the template). */
    'warm-logs': { type: 'string', default: '' },
    /** At most this many configs of those logs are measured first (warmStart.top). */
    'warm-top': { type: 'string', default: '8' },
    out: { type: 'string', default: 'bench/results' },
    name: { type: 'string', default: 'search' },
  },
  help: {
    tasks: 'workload ids of ../shared/workloads.json, comma-separated',
    targets: 'targets, comma-separated',
    tuners: 'random, ga, xgb, xgb-reg, xgb-transfer, xgb-flat, xgb-knob, xgb-curve, xgb-div, xgb-tvm (= xgb: SA plan with tied scores, as AutoTVM), xgb-distinct / xgb-ps4 (at most 1 / 4 configs per predicted score), xgb-mut (a quarter of each plan: the best config with one knob changed, mutationShare 0.25), xgb-mut-ps4 (xgb-mut with ≤ 4 per score), xgb-mutk-ps4 (that, mutating one of the 4 best configs, mutationTopK 4), xgb-local (half of each plan from the incumbent\'s two-knob neighbourhood ranked by the model, localShare 0.5), xgb-local1 (that, the incumbent\'s untried one-knob neighbours first in the local half: localOneKnobFirst); any of them + \'+warm\' (e.g. ga+warm, xgb+warm): warm-started (TuneOptions.warmStart: the default config first, then the best configs of --warm-logs, the search seeded from them; a model-based tuner then proposes the incumbent\'s one-knob neighbours until its first fit at --plan-size results); then (round 13) half of each model plan from the incumbent\'s two-knob neighbourhood (localShare 0.5, the default with a warm start); + \'+warm12\': rounds 11–12\'s warm start (localShare 0); + \'+warm10\': round 10\'s warm start (warmNeighbours false: the model fitted on the first batch); comma-separated',
    seeds: 'seeds per tuner',
    'first-seed': 'the first seed (default 1): e.g. --first-seed 3 --seeds 1 runs seed 3 alone',
    trials: 'trials per tuning job',
    'plan-size': 'XGB model refit every this many results (AutoTVM: 64)',
    'ga-pop': 'GA population (AutoTVM: 100)',
    batch: 'candidates built per batch',
    'transfer-trials': 'random-search records of the transfer source task',
    'transfer-sample': "'per-seed' (each seed its own random source sample), 'shared' (one log for every seed) or 'log' (every cached record of the source)",
    'transfer-min': 'fewest source records of one feature length for the base model (AutoTVM: 500)',
    'transfer-from': 'source workload per task for xgb-transfer, e.g. MM-512=MM-128,C2=C6',
    remeasure: 'best configs per task re-measured at the end (noise check)',
    'remeasure-rounds': 'rounds of that side-by-side re-measurement',
    repeat: 'timed repeats per measurement',
    statistic: "a config's cost: 'min' (fastest repeat) or 'mean'",
    timer: "what a measurement reads: 'wall' or 'process-cpu' (the process's CPU time: steady while other jobs load the machine; wasm -threads=1 targets only; use its own --cache)",
    cache: 'measurement cache (a tuning log)',
    'no-cache-file': 'keep the cache in memory only',
    'build-in-process': 'build candidates in this process, not in 2 build workers (for a machine so loaded that a worker does not start within its 120 s limit); no build timeout then: a config whose build never ends stalls the run',
    'warm-logs': "tuning logs, comma-separated, for the '+warm' tuners (e.g. tuning-logs/tophub/wasm_threads1.jsonl); none: the default config alone first",
    'warm-top': 'configs of those logs measured first (warmStart.top, default 8)',
    out: 'output folder',
    name: 'file name prefix of the outputs',
  },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { GATuner } = await import('../autotune/ga_tuner.js');
const { gflops, localBuilder, localRunner, measureOption } = await import('../autotune/measure/measure.js');
const { RandomTuner } = await import('../autotune/random_tuner.js');
const { XGBTuner } = await import('../autotune/xgb_tuner.js');
const { registerAll } = await import('../ops/register.js');
const { MeasureCache } = await import('./search_cache.js');
const { taskOfWorkload } = await import('./search_tasks.js');
const { bestSoFar, markdownTable, median, summarize, svgCurves } = await import('./search_stats.js');

const list = listArg;
const int = (name: string, v: string): number => intArg('bench/search.ts', `--${name}`, v, 0);
const nTrial = int('trials', opt.trials);
const nSeeds = int('seeds', opt.seeds);
const firstSeed = int('first-seed', opt['first-seed']);
const planSize = int('plan-size', opt['plan-size']);
const gaPop = int('ga-pop', opt['ga-pop']);
const batchSize = int('batch', opt.batch);
const transferTrials = int('transfer-trials', opt['transfer-trials']);
const transferMin = int('transfer-min', opt['transfer-min']);
const transferSample = opt['transfer-sample'];
if (transferSample !== 'per-seed' && transferSample !== 'shared' && transferSample !== 'log') throw new RangeError(`bench/search: --transfer-sample must be 'per-seed', 'shared' or 'log', got '${transferSample}'`);
const nRemeasure = int('remeasure', opt.remeasure);
const remeasureRounds = int('remeasure-rounds', opt['remeasure-rounds']);
const tunerNames = list(opt.tuners);
const targets = list(opt.targets);
const TUNERS = ['random', 'ga', 'xgb', 'xgb-reg', 'xgb-transfer', 'xgb-flat', 'xgb-knob', 'xgb-curve', 'xgb-div', 'xgb-tvm', 'xgb-distinct', 'xgb-ps4', 'xgb-mut', 'xgb-mut-ps4', 'xgb-mutk-ps4', 'xgb-local', 'xgb-local1'];
/** `ga+warm` → `ga`: the tuner, warm-started (TuneOptions.warmStart); `xgb+warm10`: the same with round 10's warm start (warmNeighbours false); `xgb+warm12`: rounds 11–12's (one-knob neighbours, no local plan: localShare 0). */
const baseKind = (t: string): string => t.replace(/\+warm(10|12)?$/, '');
for (const t of tunerNames) if (!TUNERS.includes(baseKind(t))) throw new RangeError(`bench/search: unknown tuner '${t}' in --tuners (known: ${TUNERS.join(', ')})`);

const DEFAULT_TRANSFER: Record<string, string> = { 'MM-512': 'MM-128', 'DENSE-bert': 'DENSE-fc', C2: 'C6', C6: 'C2', D1: 'D2' };
const transferFrom: Record<string, string> = { ...DEFAULT_TRANSFER };
for (const kv of list(opt['transfer-from'])) {
  const [a, b] = kv.split('=');
  if (!a || !b) throw new RangeError(`bench/search: --transfer-from wants TASK=SOURCE pairs, got '${kv}'`);
  transferFrom[a] = b;
}

function makeTuner(kind: string, task: Task, seed: number, warmNeighbours = true, noLocal = false): Tuner {
  const m = { seed, planSize, warmNeighbours, ...(noLocal ? { localShare: 0 } : {}) };
  switch (kind) {
    case 'random': return new RandomTuner(task, { seed });
    case 'ga': return new GATuner(task, { seed, popSize: gaPop });
    case 'xgb': case 'xgb-transfer': return new XGBTuner(task, { ...m, lossType: 'rank' });
    case 'xgb-reg': return new XGBTuner(task, { ...m, lossType: 'reg' });
    case 'xgb-flat': return new XGBTuner(task, { ...m, featureType: 'itervar-flat' });
    case 'xgb-knob': return new XGBTuner(task, { ...m, featureType: 'knob' });
    case 'xgb-curve': return new XGBTuner(task, { ...m, featureType: 'curve' });
    case 'xgb-div': return new XGBTuner(task, { ...m, diversityFilterRatio: 2 });
    // AutoTVM's plan as it is (the default; the name kept from round 5, when xgb meant xgb-distinct).
    case 'xgb-tvm': return new XGBTuner(task, { ...m, optimizer: { maxPerScore: Infinity } });
    // Round 5: SA plans with one config per predicted score, or at most 4.
    case 'xgb-distinct': return new XGBTuner(task, { ...m, optimizer: { maxPerScore: 1 } });
    case 'xgb-ps4': return new XGBTuner(task, { ...m, optimizer: { maxPerScore: 4 } });
    // Round 6: cross-basin exploration, a quarter of each plan mutates the incumbent (ModelBasedTunerOptions.mutationShare).
    case 'xgb-mut': return new XGBTuner(task, { ...m, mutationShare: 0.25 });
    // Round 7: mutation with ≤ 4 configs per predicted score; and mutating one of the 4 best measured configs.
    case 'xgb-mut-ps4': return new XGBTuner(task, { ...m, mutationShare: 0.25, optimizer: { maxPerScore: 4 } });
    case 'xgb-mutk-ps4': return new XGBTuner(task, { ...m, mutationShare: 0.25, mutationTopK: 4, optimizer: { maxPerScore: 4 } });
    // Round 13: half of each plan from the incumbent's two-knob neighbourhood, ranked by the model (localShare).
    case 'xgb-local': return new XGBTuner(task, { ...m, localShare: 0.5 });
    // Round 17: that, the incumbent's untried one-knob neighbours first in the local half (localOneKnobFirst).
    case 'xgb-local1': return new XGBTuner(task, { ...m, localShare: 0.5, localOneKnobFirst: true });
    default: throw new RangeError(`unknown tuner ${kind}`);
  }
}

const { loadRecordsSync } = await import('../tuning-logs/reader.js');
const warmRecords = list(opt['warm-logs']).flatMap((f) => loadRecordsSync(f));
const warmTop = int('warm-top', opt['warm-top']);

const fmtMin = (s: number): string => (s < 90 ? `${Math.round(s)}s` : `${(s / 60).toFixed(1)}m`);

async function main(): Promise<void> {
  registerAll();
  // The niceness this process runs at (earlier rounds printed a fixed 'nice -n 10').
  const command = `nice -n ${getPriority()} npx tsx bench/search.ts ${process.argv.slice(2).map((a) => (/[^\w=,./-]/.test(a) ? `'${a}'` : a)).join(' ')}`.trim();
  const inner = measureOption({
    builder: localBuilder({ timeout: 60, nParallel: 2, inProcess: opt['build-in-process'] }),
    runner: localRunner({ number: 1, repeat: int('repeat', opt.repeat), minRepeatMs: 30, timeout: 120, timer: opt.timer as Timer }),
  });
  mkdirSync(opt.out, { recursive: true });
  if (opt.statistic !== 'min' && opt.statistic !== 'mean') throw new RangeError(`bench/search: --statistic must be min or mean, got '${opt.statistic}'`);
  const cache = new MeasureCache(inner, opt['no-cache-file'] ? undefined : opt.cache, opt.statistic);
  const taskIds = list(opt.tasks);
  const totalTrials = targets.length * taskIds.length * tunerNames.length * nSeeds * nTrial;
  let doneTrials = 0;
  const t0 = performance.now();
  const results: { info: TaskInfo; tuners: TunerSummary[]; runs: SearchRun[] }[] = [];
  console.log(`search bench: ${taskIds.join(', ')} on ${targets.join(' | ')}; tuners ${tunerNames.join(', ')}; ${nSeeds} seeds × ${nTrial} trials; plan size ${planSize}, GA population ${gaPop}; ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
  console.log(`command: ${command}`);
  try {
    for (const target of targets) {
      for (const id of taskIds) {
        const { task, title } = taskOfWorkload(id, target);
        const tag = `${id} ${target}`;
        console.log(`\n== ${tag}: ${task.name}, space ${task.space.sizeText()} configs, ${task.flop / 1e9} GFLOP`);
        const def = task.defaultConfig?.();
        const defaultGflops = def ? gflops(task, (await cache.measureBatch([{ task, config: def }]))[0]!) : 0;
        console.log(`   default config ${def?.index ?? '-'}: ${defaultGflops.toFixed(2)} GFLOP/s`);
        let transferHistory: ReturnType<InstanceType<typeof MeasureCache>['history']> = [];
        let transferSource: Task | undefined;
        if (tunerNames.includes('xgb-transfer')) {
          const srcId = transferFrom[id];
          if (srcId === undefined) throw new RangeError(`bench/search: no transfer source for ${id}; give --transfer-from ${id}=<workload id>`);
          const src = taskOfWorkload(srcId, target).task;
          if (src.name !== task.name) throw new RangeError(`bench/search: transfer source ${srcId} (${src.name}) is not of ${id}'s template ${task.name}`);
          transferSource = src;
          const have = cache.history(src).length;
          if (transferSample === 'shared' && have < transferTrials) {
            console.log(`   transfer source ${srcId}: measuring ${transferTrials - have} random configs`);
            await new RandomTuner(src, { seed: 1000 }).tune({ nTrial: transferTrials - have, measureOption: cache, batchSize, measureDefaultFirst: false });
          }
          transferHistory = cache.history(src);
          if (transferSample !== 'per-seed') console.log(`   transfer source ${srcId}: ${transferHistory.length} records`);
        }
        const runs: SearchRun[] = [];
        /** Best known: the best over all runs (and the default); `top`: measured configs, fastest first. */
        const taskInfo = (rs: readonly SearchRun[], remeasured: TaskInfo['remeasured']): { info: { -readonly [K in keyof TaskInfo]: TaskInfo[K] }; top: [number, number][] } => {
          let bestKnown = defaultGflops;
          let bestConfig: number | null = def?.index ?? null;
          const seen = new Map<number, number>();
          for (const r of rs) r.configs.forEach((c, k) => { seen.set(c, r.gflops[k]!); if (r.gflops[k]! > bestKnown) { bestKnown = r.gflops[k]!; bestConfig = c; } });
          const st = cache.stats(task);
          return {
            info: { id, title, target: task.target, spaceSize: task.space.length, bestKnown, bestConfig, defaultGflops, distinct: cache.history(task).length, secondsPerMeasurement: median(st.batchRates), remeasured, defaultAgain: NaN },
            top: [...seen].sort((a, b) => b[1] - a[1]),
          };
        };
        for (let seed = firstSeed; seed < firstSeed + nSeeds; seed++) {
          for (const kind of tunerNames) {
            const tuner = makeTuner(baseKind(kind), task, seed, !kind.endsWith('+warm10'), kind.endsWith('+warm12'));
            const warm = kind !== baseKind(kind);
            if (kind === 'xgb-transfer' && transferSample === 'per-seed') {
              // This seed's own random sample of the source (measured once through the cache).
              const sample: ReturnType<InstanceType<typeof MeasureCache>['history']> = [];
              await new RandomTuner(transferSource!, { seed: 1000 + seed }).tune({
                nTrial: transferTrials, measureOption: cache, batchSize, measureDefaultFirst: false,
                callbacks: [(_tn, inputs, res) => { inputs.forEach((input, k) => sample.push({ input, result: res[k]! })); }],
              });
              transferHistory = sample;
              console.log(`   transfer source ${transferSource!.name} seed ${1000 + seed}: ${sample.length} records`);
            }
            // AutoTVM keeps only history rows of one feature length (pad/inline knobs change the loop nest), so a small log needs a low bar.
            if (kind === 'xgb-transfer' && !(await tuner.loadHistory(transferHistory, { minSeedRecords: transferMin }))) {
              console.log(`   xgb-transfer seed ${seed}: fewer than ${transferMin} source records of one feature length: no base model`);
            }
            const before = cache.stats(task);
            const perTrial: number[] = [];
            const configs: number[] = [];
            const start = performance.now();
            await tuner.tune({
              nTrial, measureOption: cache, batchSize, measureDefaultFirst: warm,
              ...(warm ? { warmStart: { records: warmRecords, top: warmTop } } : {}),
              callbacks: [(tn, inputs, res) => {
                inputs.forEach((inp, k) => { perTrial.push(gflops(task, res[k]!)); configs.push(inp.config.index); });
                doneTrials += inputs.length;
                const el = (performance.now() - t0) / 1000;
                const s = cache.stats(task);
                process.stderr.write(`[${tag} ${kind} seed ${seed}] trial ${tn.trials}/${nTrial} best ${(tn.bestFlops / 1e9).toFixed(2)} GFLOP/s | real ${s.measured - before.measured} cached ${s.hits - before.hits} | all ${doneTrials}/${totalTrials} ${fmtMin(el)} ETA ${fmtMin((el / doneTrials) * (totalTrials - doneTrials))}\n`);
              }],
            });
            const after = cache.stats(task);
            runs.push({
              task: id, tuner: kind, seed, gflops: perTrial, configs,
              wallSeconds: (performance.now() - start) / 1000, measureSeconds: after.measureSeconds - before.measureSeconds, realMeasured: after.measured - before.measured,
            });
            // Partial results after every run, so a run stopped for time still leaves its numbers.
            const partial = taskInfo(runs, []).info;
            writeResults([...results, { info: partial, tuners: summarize(partial, runs), runs }], command);
            writeFileSync(join(opt.out, `${opt.name}-${id}-${target.replace(/[^\w]+/g, '_')}.svg`), svgCurves(partial, runs));
            const failed = perTrial.filter((g) => !(g > 0)).length;
            console.log(`   ${kind.padEnd(12)} seed ${seed}: best ${(bestSoFar(perTrial).at(-1) ?? 0).toFixed(2)} GFLOP/s, ${after.measured - before.measured}/${perTrial.length} measured for real, ${failed} failed (wasted), ${fmtMin((performance.now() - start) / 1000)}`);
          }
        }
        const { info, top } = taskInfo(runs, []);
        // The noise check: the best few and the default re-measured side by side (same load), median of rounds.
        const best = top.slice(0, nRemeasure).filter(([c]) => c !== def?.index);
        const again = nRemeasure > 0 && remeasureRounds > 0 ? await cache.sideBySide(task, [...(def ? [def.index] : []), ...best.map(([c]) => c)], remeasureRounds) : [];
        if (def && again.length > 0) info.defaultAgain = median(again.shift()!);
        const remeasured = again.map((g, k) => ({ index: best[k]![0], cached: best[k]![1], again: median(g) }));
        info.remeasured = remeasured;
        const bestKnown = info.bestKnown;
        const bestConfig = info.bestConfig;
        const tuners = summarize(info, runs);
        results.push({ info, tuners, runs });
        const slug = `${opt.name}-${id}-${target.replace(/[^\w]+/g, '_')}`;
        writeFileSync(join(opt.out, `${slug}.svg`), svgCurves(info, runs));
        console.log(`   best known ${bestKnown.toFixed(2)} GFLOP/s (config ${bestConfig}), default ${defaultGflops.toFixed(2)}; re-measured side by side: default ${info.defaultAgain.toFixed(2)}, ${remeasured.map((r) => `${r.index} ${r.cached.toFixed(2)}→${r.again.toFixed(2)}`).join(', ')}`);
        console.log(markdownTable([{ info, tuners }]));
        writeResults(results, command);
      }
    }
  } finally {
    await inner.close();
  }
  const table = markdownTable(results);
  console.log(`\n${table}\n\ncommand: ${command}`);
  writeResults(results, command);
}

function writeResults(results: readonly { info: TaskInfo; tuners: TunerSummary[]; runs: SearchRun[] }[], command: string): void {
  const meta = { statistic: opt.statistic, timer: opt.timer, date: new Date().toISOString(), cpu: cpus()[0]?.model ?? '?', cores: cpus().length, node: process.versions.node, command, nTrial, nSeeds, planSize, gaPop, batchSize, transferTrials };
  writeFileSync(join(opt.out, `${opt.name}.json`), JSON.stringify({ meta, results }, null, 1));
  const md = [`# Search bench (${meta.date})`, '', `Command: \`${command}\``, '', `Machine: ${meta.cores} cores (${meta.cpu}), Node ${meta.node}; shared with other jobs, so costs are noisy. Cost of a config: ${meta.statistic === 'min' ? 'its fastest of the repeats' : 'the mean of its repeats'} (${meta.timer === 'process-cpu' ? 'process CPU time' : 'wall time'}), measured once and shared by all runs.`, '', markdownTable(results), '',
    ...results.map((r) => `- ${r.info.id}: re-measured side by side with the default (${r.info.defaultAgain.toFixed(2)} GFLOP/s; cached → again): ${r.info.remeasured.map((x) => `${x.index}: ${x.cached.toFixed(2)} → ${x.again.toFixed(2)}`).join('; ') || 'none'}`), ''].join('\n');
  writeFileSync(join(opt.out, `${opt.name}.md`), md);
}

await main();
process.exit(0);
