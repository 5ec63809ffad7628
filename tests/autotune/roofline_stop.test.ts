// tests/autotune/roofline_stop.test.ts — the roofline stop: Tuner.tune's stopAtRoofline ends the job at the first
// trial whose best reaches fraction × bound (never before); the task scheduler retires such a task and spends its
// trials on the others; bad fractions and bounds are RangeErrors naming them. Fake measurements throughout.

import { describe, expect, it } from 'vitest';
import { GridSearchTuner } from '../../autotune/grid_search_tuner.js';
import { TaskScheduler, type SchedulerStrategy } from '../../autotune/task_scheduler.js';
import type { Task } from '../../autotune/task.js';
import { FakeMeasure, syntheticSpace, syntheticTask } from './synthetic.js';

const space = syntheticSpace();
/** Config i runs at 10 + i GFLOP/s (1 GFLOP per run), so the grid tuner's best after trial t is 9 + t GFLOP/s. */
const rising = new FakeMeasure(new Set(), (_t, i) => 10 + i);

describe('Tuner.tune stopAtRoofline', () => {
  it('stops at the first trial whose best reaches fraction × bound, and says so', async () => {
    const m = new FakeMeasure(new Set(), (_t, i) => 10 + i);
    const tuner = new GridSearchTuner(syntheticTask(space));
    // 0.5 × 100 GFLOP/s = 50: config 40 (trial 41) is the first at 50.
    const s = await tuner.tune({ nTrial: 200, batchSize: 1, measureOption: m, stopAtRoofline: { fraction: 0.5, boundFlops: 100e9 } });
    expect(s.stoppedBy).toBe('roofline');
    expect(s.trials).toBe(41);
    expect(m.seen.at(-1)).toBe(40);
    expect(s.bestFlops).toBeCloseTo(50e9, 0);
  });

  it('never stops before: a target a hair above a trial is reached one trial later', async () => {
    const tuner = new GridSearchTuner(syntheticTask(space));
    const s = await tuner.tune({ nTrial: 200, batchSize: 1, measureOption: rising, stopAtRoofline: { fraction: 0.5, boundFlops: 100.001e9 } });
    expect(s.trials).toBe(42);
    expect(s.stoppedBy).toBe('roofline');
  });

  it('ends after the batch that got there, and runs all nTrial when the bound is never reached', async () => {
    const batched = await new GridSearchTuner(syntheticTask(space)).tune({ nTrial: 200, batchSize: 8, measureOption: rising, stopAtRoofline: { fraction: 0.5, boundFlops: 100e9 } });
    expect(batched.trials).toBe(48);
    const never = await new GridSearchTuner(syntheticTask(space)).tune({ nTrial: 30, batchSize: 8, measureOption: rising, stopAtRoofline: { fraction: 0.85, boundFlops: 100e9 } });
    expect([never.trials, never.stoppedBy]).toEqual([30, 'nTrial']);
  });

  it('stops before measuring anything when a resumed best is already there', async () => {
    const tuner = new GridSearchTuner(syntheticTask(space));
    await tuner.tune({ nTrial: 20, batchSize: 4, measureOption: rising });
    const m = new FakeMeasure(new Set(), (_t, i) => 10 + i);
    const s = await tuner.tune({ nTrial: 100, batchSize: 4, measureOption: m, stopAtRoofline: { fraction: 0.25, boundFlops: 100e9 } });
    expect([s.stoppedBy, s.measured, m.seen.length]).toEqual(['roofline', 0, 0]);
  });

  it.each([0, -0.5, 1.01, NaN, '0.85'])('refuses fraction %s with a RangeError naming it', async (fraction) => {
    const tuner = new GridSearchTuner(syntheticTask(space));
    await expect(tuner.tune({ nTrial: 4, measureOption: rising, stopAtRoofline: { fraction: fraction as number, boundFlops: 1e9 } }))
      .rejects.toThrow(/stopAtRoofline\.fraction must be a number in \(0, 1\]/);
  });

  it.each([0, -1, Infinity, NaN])('refuses boundFlops %s with a RangeError naming it', async (boundFlops) => {
    const tuner = new GridSearchTuner(syntheticTask(space));
    await expect(tuner.tune({ nTrial: 4, measureOption: rising, stopAtRoofline: { fraction: 0.85, boundFlops } })).rejects.toThrow(RangeError);
    await expect(tuner.tune({ nTrial: 4, measureOption: rising, stopAtRoofline: { fraction: 0.85, boundFlops } })).rejects.toThrow(/stopAtRoofline\.boundFlops/);
  });
});

/** Task `id` of the synthetic space whose every config runs at `gflops` GFLOP/s (1 GFLOP per run). */
function flatTask(id: number): Task {
  return { ...syntheticTask(space), name: 'flat.test', args: [id], workloadKey: JSON.stringify(['flat.test', [id]]) };
}
const flat = (speeds: readonly number[]) => new FakeMeasure(new Set(), (t) => speeds[t.args[0] as number]!);

describe('TaskScheduler roofline', () => {
  // Task 0 runs at 90 GFLOP/s of a 100 bound (≥ 0.85 at its first trial); task 1 at 10 of 100 (never).
  const tasks = [flatTask(0), flatTask(1)];
  const run = (strategy: SchedulerStrategy, roofline: boolean) => new TaskScheduler(tasks, (t) => new GridSearchTuner(t), { strategy, trialsPerRound: 8 })
    .tune({ nTrial: 64, batchSize: 1, measureOption: flat([90, 10]), ...(roofline ? { roofline: { fraction: 0.85, boundFlops: [100e9, 100e9] } } : {}) });

  it.each(['gradient', 'round-robin', 'sequential'] as const)('%s: retires the task at its bound and gives its trials to the other', async (strategy) => {
    const s = await run(strategy, true);
    expect(s.trials).toBe(64);
    expect(s.tasks.map((t) => t.trials)).toEqual([1, 63]);
    expect(s.tasks.map((t) => t.atRoofline)).toEqual([true, false]);
    expect(s.tasks[0]!.dead).toBe(true);
    expect(s.schedule.filter((i) => i === 0)).toHaveLength(1);
  });

  it('without the option both tasks keep getting trials', async () => {
    const s = await run('round-robin', false);
    expect(s.tasks.map((t) => t.trials)).toEqual([32, 32]);
    expect(s.tasks.map((t) => t.atRoofline)).toEqual([false, false]);
  });

  it('refuses a bound list of the wrong length, a bad bound and a bad fraction, naming them', async () => {
    const sch = new TaskScheduler(tasks, (t) => new GridSearchTuner(t));
    const tune = (roofline: { fraction: number; boundFlops: number[] }) => sch.tune({ nTrial: 8, measureOption: flat([1, 1]), roofline });
    await expect(tune({ fraction: 0.85, boundFlops: [1e9] })).rejects.toThrow(/roofline\.boundFlops has 1 bounds for 2 tasks/);
    await expect(tune({ fraction: 0.85, boundFlops: [1e9, NaN] })).rejects.toThrow(/roofline\.boundFlops\[1\]/);
    await expect(tune({ fraction: 0, boundFlops: [1e9, 1e9] })).rejects.toThrow(/roofline\.fraction must be a number in \(0, 1\]/);
  });
});
