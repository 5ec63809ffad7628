// tests/autotune/tuner_default_seed.test.ts — a fresh tuning job measures the template's default config first.

import { describe, expect, it } from 'vitest';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { XGBTuner } from '../../autotune/xgb_tuner.js';
import type { MeasureInput, MeasureResult } from '../../autotune/measure/measure_types.js';
import type { Tuner } from '../../autotune/tuner.js';
import { registerAll } from '../../ops/register.js';

function recordingMeasure(seen: number[]) {
  return {
    async measureBatch(inputs: readonly MeasureInput[]): Promise<MeasureResult[]> {
      return inputs.map((inp) => {
        seen.push(inp.config.index);
        return { costs: [1e-3 * (1 + (inp.config.index % 7))], errorNo: 0, allCost: 0.01, timestamp: 0 } as MeasureResult;
      });
    },
  };
}

describe('default-config seeding', () => {
  registerAll();
  const task = createTask('matmul.wasm', [tensorArg([48, 40]), tensorArg([40, 56])], 'wasm -threads=1');

  it('maps the template fallback to a point of the space', () => {
    const def = task.defaultConfig?.();
    expect(def).toBeDefined();
    const fallback = new FallbackConfigEntity();
    task.instantiate(fallback);
    expect(def!.toData().entity).toEqual(fallback.toData().entity);
  });

  it.each<[string, () => Tuner]>([
    ['random', () => new RandomTuner(task, { seed: 3 })],
    ['xgb', () => new XGBTuner(task, { seed: 3, featureType: 'knob' })],
  ])('%s tuner measures the default config first, once', async (_name, make) => {
    const seen: number[] = [];
    const tuner = make();
    await tuner.tune({ nTrial: 6, measureOption: recordingMeasure(seen) as never, batchSize: 3 });
    expect(seen[0]).toBe(task.defaultConfig!()!.index);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(6);
  });

  it('leaves the default config to the search when measureDefaultFirst is false', async () => {
    const seen: number[] = [];
    const tuner = new RandomTuner(task, { seed: 5 });
    await tuner.tune({ nTrial: 3, measureOption: recordingMeasure(seen) as never, batchSize: 3, measureDefaultFirst: false });
    expect(seen).not.toContain(task.defaultConfig!()!.index);
  });

  it('does not re-measure the default config on a resumed job', async () => {
    const seen: number[] = [];
    const tuner = new RandomTuner(task, { seed: 4 });
    await tuner.tune({ nTrial: 3, measureOption: recordingMeasure(seen) as never, batchSize: 3 });
    await tuner.tune({ nTrial: 6, measureOption: recordingMeasure(seen) as never, batchSize: 3 });
    expect(seen.filter((i) => i === task.defaultConfig!()!.index)).toHaveLength(1);
  });
});
