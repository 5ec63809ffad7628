// tests/autotune/xgb_tuner.test.ts — XGBTuner specifics: submodular diversity pick, itervar features on the
// real matmul template, transfer learning from another task's records, history from log records.

import { describe, expect, it } from 'vitest';
import { createTask, type Task } from '../../autotune/task.js';
import { submodularPick } from '../../autotune/model_based_tuner.js';
import { XGBTuner } from '../../autotune/xgb_tuner.js';
import { historyFromLogRecords } from '../../autotune/history.js';
import type { HistoryRecord } from '../../autotune/tuner.js';
import { registerAll } from '../../ops/register.js';
import { toLogRecord } from '../../tuning-logs/record.js';
import { FakeMeasure, syntheticGflops, syntheticTask } from './synthetic.js';

describe('submodularPick', () => {
  it('prefers candidates that cover new knob values', () => {
    const knobs = [[0, 0], [0, 0], [1, 1], [0, 1]];
    expect(submodularPick([0, 0, 0, 0], knobs, 2)).toEqual([0, 2]);
    // A large enough score beats coverage.
    expect(submodularPick([0, 5, 0, 0], knobs, 1)).toEqual([1]);
  });
});

/** A made-up but deterministic throughput of a matmul config: favors 8×32 tiles, vectorized, k 16. */
function gemmGflops(task: Task, index: number): number {
  const c = task.space.get(index);
  const y = c.getSplit('tile_y').size[1]!;
  const x = c.getSplit('tile_x').size[1]!;
  const k = c.getSplit('tile_k').size[1]!;
  const vec = c.getKnob('vectorize').val === true ? 0 : 1;
  const err = (Math.log2(y) - 3) ** 2 + (Math.log2(x) - 5) ** 2 + (Math.log2(k) - 4) ** 2 + vec;
  return 50 * Math.exp(-err / 4);
}

describe('XGBTuner', () => {
  registerAll();
  const args = [['TENSOR', [128, 256], 'float32'], ['TENSOR', [256, 128], 'float32']] as const;

  it('tunes the matmul template with itervar features and the diversity filter, never repeating', async () => {
    const task = createTask('matmul.wasm', args, 'wasm');
    const m = new FakeMeasure(new Set(), gemmGflops);
    const tuner = new XGBTuner(task, { seed: 1, planSize: 16, diversityFilterRatio: 2, optimizer: { nIter: 20, parallelSize: 32 } });
    const summary = await tuner.tune({ nTrial: 64, measureOption: m, batchSize: 8 });
    expect(summary.trials).toBe(64);
    expect(new Set(m.seen).size).toBe(64);
    expect(tuner.costModel.trained).toBe(true);
    const best = Math.max(...m.seen.map((i) => gemmGflops(task, i)));
    expect(summary.bestFlops / 1e9).toBeCloseTo(best, 6);
  });

  it('warms up from records of another task of the same template (loadHistory)', async () => {
    // Records of the synthetic template on one task teach the model about another.
    const source = syntheticTask();
    const m = new FakeMeasure();
    const seed = new XGBTuner(source, { seed: 2, featureType: 'knob', planSize: 32 });
    const history: HistoryRecord[] = [];
    await seed.tune({
      nTrial: 200, measureOption: m,
      callbacks: [(_t, inputs, results) => { inputs.forEach((input, k) => history.push({ input, result: results[k]! })); }],
    });
    const target = syntheticTask();
    const warm = new XGBTuner(target, { seed: 3, featureType: 'knob', planSize: 32 });
    expect(await warm.loadHistory(history, { minSeedRecords: 1000 })).toBe(false);
    expect(await warm.loadHistory(history, { minSeedRecords: 100 })).toBe(true);
    const first = new FakeMeasure();
    await warm.tune({ nTrial: 32, measureOption: first });
    const cold = new FakeMeasure();
    await new XGBTuner(syntheticTask(), { seed: 3, featureType: 'knob', planSize: 32 }).tune({ nTrial: 32, measureOption: cold });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The warm first plan is chosen by the history model; the cold one is random.
    expect(mean(first.seen.map((i) => syntheticGflops(target.space, i)))).toBeGreaterThan(mean(cold.seen.map((i) => syntheticGflops(target.space, i))));
  });

  it('rebuilds history records from log records of registered templates', () => {
    const task = createTask('matmul.wasm', args, 'wasm');
    const records = [5, 9].map((index) => toLogRecord({ task, config: task.space.get(index) }, { costs: [0.001], errorNo: 0, allCost: 1, timestamp: 1 }));
    const history = historyFromLogRecords([...records, { ...records[0]!, input: ['wasm', 'no.such.template', [], {}] }]);
    expect(history.map((h) => h.input.config.index)).toEqual([5, 9]);
    expect(history[0]!.input.task).toBe(task);
  });
});
