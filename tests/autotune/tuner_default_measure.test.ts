// tests/autotune/tuner_default_measure.test.ts — `tuner.tune({ nTrial, callbacks })` without a measure
// option, as a notebook user writes it: the local builder and runner with their documented defaults,
// closed when tuning ends; a bare { builder, runner } is accepted; missing options are named.

import { describe, expect, it, vi } from 'vitest';
import * as measure from '../../autotune/measure/measure.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { createTask } from '../../autotune/task.js';
import type { TuneInput, TuneResult } from '../../autotune/tuner.js';
import { registerAll } from '../../ops/register.js';

/** Every measure option made (by the tuner or the test), with a spy on its close(). */
const made = vi.hoisted(() => [] as { close: () => Promise<void> }[]);
vi.mock('../../autotune/measure/measure.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../autotune/measure/measure.js')>();
  return {
    ...m,
    measureOption: (o: Parameters<typeof m.measureOption>[0]) => {
      const mo = m.measureOption(o);
      const spied = { ...mo, close: vi.fn(() => mo.close()) };
      made.push(spied);
      return spied;
    },
  };
});

registerAll();
const task = createTask('matmul.wasm', [['TENSOR', [16, 16], 'float32'], ['TENSOR', [16, 16], 'float32']], 'wasm -threads=1');

describe('tune without a measure option', () => {
  it('measures with the default local builder and runner, and closes them when tuning ends (even by an error)', async () => {
    // One tune call (worker start-up is the slow part on a loaded machine): two batches of one;
    // the callback throws after the second, so the run ends by an error, after real measurements.
    made.length = 0;
    const seen: { inputs: readonly TuneInput[]; results: readonly TuneResult[] }[] = [];
    const tuner = new RandomTuner(task, { seed: 4 });
    const run = tuner.tune({
      nTrial: 2, batchSize: 1,
      callbacks: [(_t, inputs, results) => {
        seen.push({ inputs, results });
        if (seen.length === 2) throw new Error('callback failed');
      }],
    });
    await expect(run).rejects.toThrow('callback failed');
    expect(tuner.trials).toBe(2);
    const results = seen.flatMap((s) => s.results);
    expect(results.map((r) => r.errorNo)).toEqual([0, 0]);
    // The runner's documented default repeat is 3: one cost per repeat.
    expect(results.map((r) => r.costs.length)).toEqual([3, 3]);
    expect(results.every((r) => r.device?.threads === 1)).toBe(true);
    expect(new Set(seen.flatMap((s) => s.inputs.map((i) => i.config.index))).size).toBe(2);
    expect(made).toHaveLength(1);
    expect(made[0]!.close).toHaveBeenCalledTimes(1);
  }, 300_000);

  it('takes a bare { builder, runner } (as AutoTVM\'s measure_option) and leaves a given one open', async () => {
    made.length = 0;
    const builder = measure.localBuilder({ inProcess: true });
    const runner = measure.localRunner({ number: 1, repeat: 2 });
    try {
      const s = await new RandomTuner(task, { seed: 6 }).tune({ nTrial: 1, batchSize: 1, measureOption: { builder, runner } });
      expect(s).toMatchObject({ trials: 1, errors: 0 });
      expect(made).toHaveLength(1);
      expect(made[0]!.close).not.toHaveBeenCalled();
    } finally {
      await runner.close();
      await builder.close();
    }
  }, 300_000);

  it('names a missing or bad option', async () => {
    const tuner = new RandomTuner(task, { seed: 7 });
    await expect(tuner.tune(undefined as never)).rejects.toThrow('tune: expected options { nTrial, measureOption?, callbacks?, … }');
    await expect(tuner.tune({} as never)).rejects.toThrow('tune: option nTrial (trials to run) must be a non-negative integer, got nothing');
    await expect(tuner.tune({ nTrial: 1, measureOption: {} as never })).rejects.toThrow(/option measureOption must be autotune\.measureOption/);
    const fake = { measureBatch: () => Promise.resolve([]) };
    await expect(tuner.tune({ nTrial: 1, measureOption: fake, batchSize: 0 })).rejects.toThrow('tune: option batchSize must be a positive integer, got 0');
    await expect(tuner.tune({ nTrial: 1, measureOption: fake, earlyStopping: 0 })).rejects.toThrow('tune: option earlyStopping must be positive, got 0');
  });
});
