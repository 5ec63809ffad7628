// bench/search_refits.ts — what an XGB tuner's model thought of chosen configs at each refit (never a test): a
// bench/search.ts run replayed from its measurement cache (every proposed config must be in it: the replay measures
// nothing and stops at the first config the cache lacks), printing after each refit the incumbent and, for every
// --watch config, its predicted rank among the valid configs not yet measured — in the incumbent's two-knob
// neighbourhood (what the local plan ranks, autotune/local_plan.ts) and, with --full, in the whole space — and the
// trial at which the run measured it. Why a config the search later found best was (not) planned earlier.
// Run: nice -n 10 npx tsx bench/search_refits.ts --task D1 --seed 4 --trials 128 --cache bench/out/s19-D1-xgb-cache.jsonl \
//        --warm-logs tuning-logs/tophub/wasm_threads1.jsonl --watch 2750,10175,4775 [--full] [--local-share 0.5] [--one-knob-first]

import { benchArgs, intArg, listArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/search_refits.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: "An XGB tuner's run replayed from a measurement cache: each refit's predicted rank of the --watch configs.",
  options: {
    task: { type: 'string', default: 'D1' },
    target: { type: 'string', default: 'wasm -threads=1' },
    seed: { type: 'string', default: '1' },
    trials: { type: 'string', default: '128' },
    'plan-size': { type: 'string', default: '16' },
    'local-share': { type: 'string', default: '0.5' },
    cache: { type: 'string', default: '' },
    'warm-logs': { type: 'string', default: 'tuning-logs/tophub/wasm_threads1.jsonl' },
    watch: { type: 'string', default: '' },
    full: { type: 'boolean', default: false },
    'one-knob-first': { type: 'boolean', default: false },
  },
  help: {
    task: 'workload id (../shared/workloads.json)', target: 'target string', seed: "the tuner's seed", trials: 'trials to replay',
    'plan-size': 'configs per plan (bench/search.ts --plan-size)', 'local-share': 'ModelBasedTunerOptions.localShare (xgb-local+warm: 0.5)',
    cache: 'the cache log the run measured into (bench/search.ts --cache)', 'warm-logs': 'warm-start logs, comma-separated (as the run had)',
    watch: 'config indices to rank at each refit, comma-separated', full: 'rank them in the whole valid space too (features of every config: slow)',
    'one-knob-first': 'ModelBasedTunerOptions.localOneKnobFirst (bench/search.ts xgb-local1+warm)',
  },
});
if (opt.cache === '') usageError(SCRIPT, '--cache is required: the replay measures nothing');
const watch = listArg(opt.watch).map((s) => intArg(SCRIPT, '--watch', s, 0));
const nTrial = intArg(SCRIPT, '--trials', opt.trials, 1);
const planSize = intArg(SCRIPT, '--plan-size', opt['plan-size'], 1);
const seed = intArg(SCRIPT, '--seed', opt.seed, 0);
const localShare = Number(opt['local-share']);
if (!(localShare >= 0 && localShare <= 1)) usageError(SCRIPT, `--local-share must be in [0, 1], got '${opt['local-share']}'`);

const { gflops } = await import('../autotune/measure/measure.js');
const { XGBTuner } = await import('../autotune/xgb_tuner.js');
const { knobNeighbourhood } = await import('../autotune/local_plan.js');
const { registerAll } = await import('../ops/register.js');
const { loadRecordsSync } = await import('../tuning-logs/reader.js');
const { MeasureCache } = await import('./search_cache.js');
const { taskOfWorkload } = await import('./search_tasks.js');

registerAll();
const { task } = taskOfWorkload(opt.task, opt.target);
const space = task.space;
const notCached = { measureBatch: async (inputs: readonly { config: { index: number } }[]): Promise<never> => {
  throw new Error(`config ${inputs.map((i) => i.config.index).join(', ')} is not in ${opt.cache}: the replay stops here`);
} };
const cache = new MeasureCache(notCached as never, opt.cache, 'min');
const tuner = new XGBTuner(task, { seed, planSize, warmNeighbours: true, localShare, localOneKnobFirst: opt['one-knob-first'] });
const measuredAt = new Map<number, number>();
let fits = 0;
let best = { index: -1, g: 0 };
/** Rank (1 = best predicted) of `c` among `pool` by the model, or '-' when c is not in the pool. */
const rankIn = (pool: readonly number[], c: number): string => {
  if (!pool.includes(c)) return '-';
  const s = tuner.costModel.predict(pool);
  const mine = s[pool.indexOf(c)]!;
  return `${1 + pool.filter((_, k) => s[k]! > mine).length}/${pool.length}`;
};
const allValid = opt.full ? Array.from({ length: space.length }, (_, i) => i).filter((i) => space.isIndexValid(i)) : [];
console.log(`${opt.task} ${opt.target}: xgb seed ${seed}, plan ${planSize}, localShare ${localShare}; watching ${watch.join(', ')}`);
try {
  await tuner.tune({
    nTrial, measureOption: cache, batchSize: 8, measureDefaultFirst: true,
    warmStart: { records: listArg(opt['warm-logs']).flatMap((f) => loadRecordsSync(f)), top: 8 },
    callbacks: [(tn, inputs, res) => {
      inputs.forEach((inp, k) => {
        measuredAt.set(inp.config.index, tn.trials - inputs.length + k + 1);
        const g = gflops(task, res[k]!);
        if (g > best.g) best = { index: inp.config.index, g };
      });
      if (!tuner.costModel.trained || tn.trials < planSize * (fits + 1)) return;
      fits++;
      const open = (i: number): boolean => !measuredAt.has(i);
      const local = knobNeighbourhood(space, best.index, 2, (i) => !open(i));
      const rows = watch.map((c) => {
        const at = measuredAt.get(c);
        if (at !== undefined) return `${c} measured at ${at}`;
        const full = opt.full ? ` all ${rankIn(allValid.filter(open), c)}` : '';
        return `${c} local ${rankIn(local, c)}${full}`;
      });
      console.log(`fit ${fits} at trial ${tn.trials}: incumbent ${best.index} ${best.g.toFixed(2)} GFLOP/s | ${rows.join(' | ')}`);
    }],
  });
} catch (e) {
  console.log(`stopped: ${(e as Error).message}`);
}
