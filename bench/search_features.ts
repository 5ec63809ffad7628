// bench/search_features.ts — offline check of the cost model's features on measured configs (never a test):
// from a search bench's cache log, fits XGBoost (rank loss) on a random part of one task's measured configs
// and ranks the rest, with keyed ('itervar') vs flatten-order ('itervar-flat') itervar features; also a base
// model fitted on another shape's records ranking this task's (transfer). Nothing is timed: it re-reads costs.
// Run: nice -n 10 npx tsx bench/search_features.ts --log bench/out/search3-D1-cache.jsonl --task D1 --source D2
//      [--types itervar,itervar-flat,knob,curve] [--train 32,64,128] [--seeds 5]

import { parseArgs } from 'node:util';
import type { FeatureSource } from '../autotune/cost_model.js';
import { configFeatures, FeatureLayout, alignedFeatures, type FeatureType } from '../autotune/features.js';
import { historyFromLogRecords } from '../autotune/history.js';
import { defaultFeatureLower } from '../autotune/model_based_tuner.js';
import { Rng } from '../autotune/rng.js';
import { resultFlops, type HistoryRecord } from '../autotune/tuner.js';
import { XGBoostCostModel } from '../autotune/xgb_cost_model.js';
import { registerAll } from '../ops/register.js';
import { loadRecordsSync } from '../tuning-logs/reader.js';
import { taskOfWorkload } from './search_tasks.js';

const { values: opt } = parseArgs({
  options: {
    log: { type: 'string', default: 'bench/out/search3-D1-cache.jsonl' },
    task: { type: 'string', default: 'D1' },
    source: { type: 'string' },
    target: { type: 'string', default: 'wasm -threads=1' },
    train: { type: 'string', default: '32,64,128' },
    seeds: { type: 'string', default: '5' },
    types: { type: 'string', default: 'itervar,itervar-flat' },
  },
});

/** Spearman rank correlation (ties by average rank). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (v: readonly number[]): number[] => {
    const idx = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < idx.length;) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
      for (let k = i; k <= j; k++) r[idx[k]![1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const m = (ra.length - 1) / 2;
  let num = 0; let da = 0; let db = 0;
  for (let i = 0; i < ra.length; i++) { num += (ra[i]! - m) * (rb[i]! - m); da += (ra[i]! - m) ** 2; db += (rb[i]! - m) ** 2; }
  return num / Math.sqrt(da * db);
}

/** Share of the truly best 10 % of `ys` among the model's top 10 % (AutoTVM's recall@k). */
function recallTop(pred: readonly number[], ys: readonly number[]): number {
  const k = Math.max(1, Math.round(ys.length / 10));
  const top = (v: readonly number[]): Set<number> => new Set(v.map((x, i) => [x, i] as const).sort((p, q) => q[0] - p[0]).slice(0, k).map((p) => p[1]));
  const a = top(pred);
  return [...top(ys)].filter((i) => a.has(i)).length / k;
}

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  registerAll();
  const all = historyFromLogRecords(loadRecordsSync(opt.log));
  const task = taskOfWorkload(opt.task, opt.target).task;
  const of = (t: typeof task): HistoryRecord[] => all.filter((h) => h.input.task.workloadKey === t.workloadKey && h.input.task.target === t.target);
  const mine = of(task).filter((h) => h.result.errorNo === 0);
  console.log(`${opt.task}: ${mine.length} measured configs in ${opt.log}`);
  const types = opt.types.split(',') as FeatureType[];
  const source = (type: FeatureType, layout: FeatureLayout): FeatureSource => ({
    features: (i) => configFeatures(task, task.space.get(i), type, defaultFeatureLower, layout),
    aligned: alignedFeatures(type),
  });
  console.log('| features | train configs | Spearman on the rest (median of seeds) | recall of the top 10 % (median) |');
  console.log('|---|---|---|---|');
  for (const n of opt.train.split(',').map(Number)) {
    for (const type of types) {
      const sp: number[] = [];
      const rc: number[] = [];
      for (let s = 1; s <= Number(opt.seeds); s++) {
        const order = new Rng(s).shuffle(mine.map((_, i) => i));
        const tr = order.slice(0, n).map((i) => mine[i]!);
        const te = order.slice(n).map((i) => mine[i]!);
        const model = new XGBoostCostModel(source(type, new FeatureLayout()), { seed: s, lossType: 'rank' });
        await model.fit(tr.map((h) => h.input.config.index), tr.map((h) => resultFlops(task, h.result)), 16);
        const pred = Array.from(model.predict(te.map((h) => h.input.config.index)));
        const ys = te.map((h) => resultFlops(task, h.result));
        sp.push(spearman(pred, ys));
        rc.push(recallTop(pred, ys));
        model.dispose();
      }
      console.log(`| ${type} | ${n} | ${med(sp).toFixed(3)} (${sp.map((x) => x.toFixed(2)).join(', ')}) | ${med(rc).toFixed(2)} |`);
    }
  }
  if (opt.source) {
    const src = taskOfWorkload(opt.source, opt.target).task;
    const hist = of(src);
    console.log(`\ntransfer: base model on ${hist.length} records of ${opt.source}, ranking all ${mine.length} of ${opt.task}`);
    for (const type of types) {
      const layout = new FeatureLayout();
      const model = new XGBoostCostModel(source(type, layout), { seed: 1, lossType: 'rank' });
      const rows: number[][] = [];
      const ys: number[] = [];
      for (const h of hist) {
        try { rows.push(configFeatures(src, h.input.config, type, defaultFeatureLower, layout)); ys.push(resultFlops(src, h.result)); } catch { /* no features */ }
      }
      const ok = await model.fitHistory(rows, ys, 16, 1);
      const pred = ok ? Array.from(model.predict(mine.map((h) => h.input.config.index))) : [];
      const truth = mine.map((h) => resultFlops(task, h.result));
      console.log(`  ${type}: ${ok ? `Spearman ${spearman(pred, truth).toFixed(3)}, recall of the top 10 % ${recallTop(pred, truth).toFixed(2)}` : 'no base model'}`);
      model.dispose();
    }
  }
}

await main();
