// tests/runtime/webgpu/time_evaluator.test.ts — TVM time-evaluator semantics over a fake batch timer.

import { describe, expect, it } from 'vitest';
import { summarize, timeBatches } from '../../../runtime/webgpu/time_evaluator.js';

describe('timeBatches', () => {
  it('warms up once, then measures `repeat` batches of `number` runs, reporting seconds per run', async () => {
    const calls: number[] = [];
    const t = await timeBatches(async (n) => {
      calls.push(n);
      return n * 0.002;
    }, { number: 5, repeat: 3 });
    expect(calls).toEqual([1, 5, 5, 5]);
    expect(t.results).toEqual([0.002, 0.002, 0.002]);
    expect(t.number).toBe(5);
  });

  it('raises `number` until one measurement lasts minRepeatMs', async () => {
    const t = await timeBatches(async (n) => n * 0.001, { number: 1, repeat: 2, minRepeatMs: 50 });
    expect(t.results).toHaveLength(2);
    expect(t.number * 0.001).toBeGreaterThanOrEqual(0.05);
    expect(t.results.every((r) => Math.abs(r - 0.001) < 1e-12)).toBe(true);
  });

  it('never reports a zero cost: a batch the clock did not see is grown and timed again', async () => {
    const calls: number[] = [];
    const t = await timeBatches(async (n) => {
      calls.push(n);
      return n < 10 ? 0 : n * 0.001;
    }, { number: 2, repeat: 1 });
    expect(calls).toEqual([1, 2, 20]);
    expect(t.results).toEqual([0.001]);
  });

  it('summarizes mean, median and min', () => {
    const s = summarize([3, 1, 2, 10], 4);
    expect([s.mean, s.median, s.min, s.number]).toEqual([4, 2.5, 1, 4]);
  });

  it('rejects a bad number, repeat or minRepeatMs', async () => {
    const timer = async (): Promise<number> => 1;
    await expect(timeBatches(timer, { number: 0 })).rejects.toThrow(/number must be an integer ≥ 1/);
    await expect(timeBatches(timer, { repeat: 1.5 })).rejects.toThrow(/repeat must be/);
    await expect(timeBatches(timer, { minRepeatMs: -1 })).rejects.toThrow(/minRepeatMs/);
  });
});
