// tests/autotune/warm_start.test.ts — TuneOptions.warmStart: the default config, then the best configs of earlier
// logs transferred to this task (same template, re-validated in this space), are measured first, once; the
// other records are skipped and counted; every tuner honours it and starts its search from them; a resumed
// job does not measure them again.

import { describe, expect, it } from 'vitest';
import type { CostModel } from '../../autotune/cost_model.js';
import { GATuner } from '../../autotune/ga_tuner.js';
import { GridSearchTuner } from '../../autotune/grid_search_tuner.js';
import type { MeasureInput, MeasureResult } from '../../autotune/measure/measure_types.js';
import { ModelBasedTuner, type ModelOptimizer } from '../../autotune/model_based_tuner.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import type { Tuner } from '../../autotune/tuner.js';
import { warmStartConfigs } from '../../autotune/warm_start.js';
import { XGBTuner } from '../../autotune/xgb_tuner.js';
import { registerAll } from '../../ops/register.js';
import { toLogRecord, type LogRecord } from '../../tuning-logs/record.js';

registerAll();
const args = [tensorArg([48, 40]), tensorArg([40, 56])];
const task = createTask('matmul.wasm', args, 'wasm -threads=1');
/** The same template and shape on another target: the earlier log a warm start transfers from. */
const other = createTask('matmul.wasm', args, 'wasm');
/** Another shape of the template: its splits of 64 have factors (32, 64) this task's space lacks. */
const big = createTask('matmul.wasm', [tensorArg([64, 64]), tensorArg([64, 64])], 'wasm');
const dense = createTask('dense.wasm', [tensorArg([4, 40]), tensorArg([56, 40])], 'wasm');
const def = task.defaultConfig!()!;

const record = (t: Task, c: ConfigEntity, cost: number, errorNo = 0): LogRecord =>
  toLogRecord({ task: t, config: c }, { costs: [cost], errorNo, allCost: cost, timestamp: 1 });

/** The valid configs of `t` at indices from `start`, stepping by a prime, that decode in `task`'s space to a config other than the default. */
function transferable(n: number, start: number): ConfigEntity[] {
  const out: ConfigEntity[] = [];
  for (let i = start; out.length < n && i < other.space.length; i += 7919) {
    if (!other.space.isIndexValid(i)) continue;
    const c = other.space.entityAt(i);
    const here = task.space.entityFromData(c.toData());
    if (here.index !== def.index && task.space.isIndexValid(here.index)) out.push(c);
  }
  return out;
}
const [good1, good2, mid, slow] = transferable(4, 1001);
/** A config of `big` whose entity has a value outside this task's space. */
const outOfSpace = (() => {
  for (let i = 0; i < big.space.length; i += 97) {
    try {
      task.space.entityFromData(big.space.entityAt(i).toData());
    } catch {
      return big.space.entityAt(i);
    }
  }
  throw new Error('test setup: no config of the 64³ matmul falls outside the 48×40×56 space');
})();

const earlier: LogRecord[] = [
  record(other, slow!, 9e-3),
  record(other, good2!, 2e-3),
  record(other, mid!, 5e-3),
  record(other, good1!, 1e-3),
  record(other, other.space.entityAt(transferable(1, 5003)[0]!.index), 1, 4), // failed: no one's best
  record(dense, dense.space.entityAt(0), 1e-4), // another template
  record(big, outOfSpace, 1e-4), // a knob value this space lacks
];
const inHere = (c: ConfigEntity): number => task.space.entityFromData(c.toData()).index;

function recordingMeasure(seen: number[]) {
  return {
    measureBatch(inputs: readonly MeasureInput[]): Promise<MeasureResult[]> {
      return Promise.resolve(inputs.map((inp) => {
        seen.push(inp.config.index);
        return { costs: [1e-3 * (1 + (inp.config.index % 7))], errorNo: 0, allCost: 0.01, timestamp: 0 } as MeasureResult;
      }));
    },
  };
}

describe('warmStartConfigs', () => {
  it('puts the default first, then the transferred records best first, and counts what it skips', () => {
    const plan = warmStartConfigs(task, def, { records: earlier });
    expect(plan.configs.map((c) => c.index)).toEqual([def.index, inHere(good1!), inHere(good2!), inHere(mid!), inHere(slow!)]);
    expect(plan).toMatchObject({ transferred: 4, otherTemplate: 1, invalid: 1 });
    // Transferred configs are points of this task's space, not the other space's indices.
    for (const c of plan.configs) expect(task.space.isIndexValid(c.index)).toBe(true);
  });

  it('takes every earlier task\'s best before any second best, and at most `top`', () => {
    const big2 = createTask('matmul.wasm', args, 'wasm -threads=2');
    const recs = [record(other, good2!, 1e-3), record(other, good1!, 2e-3), record(big2, slow!, 8e-3), record(big2, mid!, 9e-3)];
    const plan = warmStartConfigs(task, undefined, { records: recs, top: 3 });
    expect(plan.configs.map((c) => c.index)).toEqual([inHere(good2!), inHere(slow!), inHere(good1!)]);
  });

  it('repeats no config: a record of the default, or one config in two logs, is taken once', () => {
    const recs = [record(other, other.space.entityFromData(def.toData()), 1e-4), record(other, good1!, 1e-3), record(other, good1!, 3e-3)];
    const plan = warmStartConfigs(task, def, { records: recs });
    expect(plan.configs.map((c) => c.index)).toEqual([def.index, inHere(good1!)]);
  });

  it('skips and counts a config the template\'s multiFilter rejects in this space', () => {
    const conv = createTask('conv2d_nchw.webgpu', [tensorArg([1, 16, 14, 14]), tensorArg([16, 16, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1], 1], 'webgpu');
    const conv2 = createTask('conv2d_nchw.webgpu', conv.args, 'webgpu -device=swiftshader');
    let rejected = -1;
    let accepted = -1;
    for (let i = 0; (rejected < 0 || accepted < 0) && i < conv.space.length; i += 101) {
      if (conv.space.isIndexValid(i)) accepted = accepted < 0 ? i : accepted;
      else rejected = rejected < 0 ? i : rejected;
    }
    expect(rejected).toBeGreaterThanOrEqual(0);
    const recs = [record(conv2, conv2.space.entityAt(rejected), 1e-4), record(conv2, conv2.space.entityAt(accepted), 1e-3)];
    const plan = warmStartConfigs(conv, undefined, { records: recs });
    expect(plan).toMatchObject({ transferred: 1, invalid: 1 });
    expect(plan.configs.map((c) => c.index)).toEqual([accepted]);
  });

  it('refuses a top that is not a non-negative integer', () => {
    expect(() => warmStartConfigs(task, def, { top: -1 })).toThrow(/warmStart.top/);
    expect(() => warmStartConfigs(task, def, { top: 1.5 })).toThrow(/warmStart.top/);
  });
});

describe('tune with a warm start', () => {
  const warm = [def.index, inHere(good1!), inHere(good2!), inHere(mid!), inHere(slow!)];

  it.each<[string, () => Tuner]>([
    ['random', () => new RandomTuner(task, { seed: 3 })],
    ['grid', () => new GridSearchTuner(task)],
    ['ga', () => new GATuner(task, { seed: 3, popSize: 8 })],
    ['xgb', () => new XGBTuner(task, { seed: 3, featureType: 'knob', planSize: 4, maxRounds: 20 })],
  ])('%s measures the default, then the log\'s best configs, each once, and reports the skips', async (_name, make) => {
    const seen: number[] = [];
    const summary = await make().tune({ nTrial: 12, measureOption: recordingMeasure(seen), batchSize: 3, warmStart: { records: earlier } });
    expect(seen.slice(0, warm.length)).toEqual(warm);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(12);
    expect(summary.warmStart).toEqual({ configs: 5, transferred: 4, otherTemplate: 1, invalid: 1 });
  });

  it('without `default` (measureDefaultFirst false) starts with the transferred configs', async () => {
    const seen: number[] = [];
    await new RandomTuner(task, { seed: 1 }).tune({ nTrial: 4, measureOption: recordingMeasure(seen), batchSize: 2, measureDefaultFirst: false, warmStart: { records: earlier } });
    expect(seen).toEqual(warm.slice(1));
  });

  it('GA holds the warm configs in its first population, which keeps its size', async () => {
    const ga = new GATuner(task, { seed: 2, popSize: 8 });
    await ga.tune({ nTrial: 5, measureOption: recordingMeasure([]), batchSize: 5, warmStart: { records: earlier } });
    const genes = (ga as unknown as { genes: number[][] }).genes.map((g) => task.space.knobsToPoint(g));
    expect(genes.slice(0, 5)).toEqual(warm);
    expect(genes).toHaveLength(8);
    expect(new Set(genes).size).toBe(8);
  });

  it('a model-based tuner (warmNeighbours false) fits on the warm configs once measured, and its SA walkers start on them', async () => {
    const fits: number[][] = [];
    const seeded: number[][] = [];
    const model: CostModel = {
      trained: false,
      predict: (idx) => Float32Array.from(idx, (i) => -i),
      async fit(xs) { fits.push([...xs]); (this as { trained: boolean }).trained = true; },
      fitHistory: async () => false,
    };
    const plans: number[][] = [];
    const optimizer: ModelOptimizer = {
      seed: (points) => { seeded.push([...points]); },
      findMaximums(_m, num, excl) {
        const out: number[] = [];
        for (let i = 0; out.length < num; i++) if (!excl.has(i) && task.space.isIndexValid(i)) out.push(i);
        plans.push(out);
        return out;
      },
    };
    // Round 10's warm start (warmNeighbours false); the default since round 11 is in warm_neighbours.test.ts.
    const tuner = new ModelBasedTuner(task, () => model, optimizer, { planSize: 64, epsGreedy: 0, seed: 1, warmNeighbours: false });
    const seen: number[] = [];
    await tuner.tune({ nTrial: 8, measureOption: recordingMeasure(seen), batchSize: 5, warmStart: { records: earlier } });
    expect(seeded).toEqual([warm]);
    // One fit, after the first batch (the five warm configs), long before planSize results.
    expect(fits).toEqual([warm]);
    // The next batch is the model's plan, not random picks.
    expect(seen.slice(5)).toEqual(plans[0]!.slice(0, 3));
  });

  it('a resumed job measures no warm config again', async () => {
    const seen1: number[] = [];
    const log: LogRecord[] = [];
    const keep = (_t: Tuner, inputs: readonly MeasureInput[], results: readonly MeasureResult[]): void => {
      inputs.forEach((inp, k) => log.push(toLogRecord(inp, results[k]!)));
    };
    // The job "crashes" after 3 trials: the default and the first two transferred configs are in its log.
    await new XGBTuner(task, { seed: 1, featureType: 'knob', planSize: 4, maxRounds: 20 })
      .tune({ nTrial: 3, measureOption: recordingMeasure(seen1), batchSize: 3, warmStart: { records: earlier }, callbacks: [keep] });
    const resumed = new XGBTuner(task, { seed: 1, featureType: 'knob', planSize: 4, maxRounds: 20 });
    expect(await resumed.restore(log)).toBe(3);
    const seen2: number[] = [];
    await resumed.tune({ nTrial: 9, measureOption: recordingMeasure(seen2), batchSize: 3, warmStart: { records: earlier } });
    expect(seen1).toEqual(warm.slice(0, 3));
    expect(seen2.slice(0, 2)).toEqual(warm.slice(3));
    expect(seen2).toHaveLength(6);
    expect(new Set([...seen1, ...seen2]).size).toBe(9);
  });
});
