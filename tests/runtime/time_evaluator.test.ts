// tests/runtime/time_evaluator.test.ts — TVM time-evaluator semantics (counts, not timings): a fake
// clock makes every count exact on any machine, at any load.

import { describe, expect, it } from 'vitest';
import { timeRuns } from '../../runtime/time_evaluator.js';

/** A clock that only moves when a fake run says so: `costs[i]` ms for the i-th call (last one repeats). */
function fakeMachine(costs: readonly number[]): { clock: () => number; run: () => void; calls: () => number } {
  let now = 1000;
  let calls = 0;
  return {
    clock: () => now,
    run: () => {
      now += costs[Math.min(calls, costs.length - 1)]!;
      calls++;
    },
    calls: () => calls,
  };
}

describe('timeRuns', () => {
  it('does one warm-up then repeat × number runs and reports per-run seconds', async () => {
    const m = fakeMachine([0.5]);
    const r = await timeRuns(m.run, { number: 5, repeat: 3 }, m.clock);
    expect(m.calls()).toBe(1 + 15);
    expect(r.number).toBe(5);
    expect(r.results).toEqual([0.0005, 0.0005, 0.0005]);
    expect([r.mean, r.median, r.min]).toEqual([0.0005, 0.0005, 0.0005]);
  });

  it('raises number until a repeat lasts minRepeatMs, aiming straight for it as TVM does', async () => {
    // 0.25 ms a run, 5 ms wanted: 1 run (0.25 ms) is too short, so number = ceil(5 / 0.25) + 1 = 21.
    const m = fakeMachine([0.25]);
    const r = await timeRuns(m.run, { number: 1, repeat: 2, minRepeatMs: 5 }, m.clock);
    expect(r.number).toBe(21);
    expect(m.calls()).toBe(1 + 1 + 21 + 21); // warm-up, the short try, two measurements of 21
    expect(r.results).toEqual([0.00025, 0.00025]);
  });

  it('grows number by at least the golden ratio when a run is slower than minRepeatMs allows for', async () => {
    // First run 10 ms (warm-up), then 1 ms: number 4 takes 4 ms < 5 → max(ceil(5/1)+1, ceil(4·1.618)) = 7.
    const m = fakeMachine([10, 1]);
    const r = await timeRuns(m.run, { number: 4, repeat: 1, minRepeatMs: 5 }, m.clock);
    expect(r.number).toBe(7);
    expect(m.calls()).toBe(1 + 4 + 7);
    // Golden-ratio growth wins when the short try was barely short: 0.2 ms a run, number 20 → 4 ms.
    const g = fakeMachine([0.2]);
    const r2 = await timeRuns(g.run, { number: 20, repeat: 1, minRepeatMs: 4.1 }, g.clock);
    expect(r2.number).toBe(Math.max(Math.ceil(4.1 / 0.2) + 1, Math.ceil(20 * 1.618)));
    expect(r2.number).toBe(33);
  });

  it('keeps each repeat separate: a slow repeat shows in the results, min and median', async () => {
    const m = fakeMachine([1, 1, 1, 1, 1, 5, 5, 1, 1]); // warm-up, then repeats of 2 runs
    const r = await timeRuns(m.run, { number: 2, repeat: 4 }, m.clock);
    expect(r.results).toEqual([0.001, 0.001, 0.005, 0.001]);
    expect(r.min).toBe(0.001);
    expect(r.median).toBe(0.001);
    expect(r.mean).toBeCloseTo(0.002, 12);
  });

  it('never reports a zero cost: a measurement the clock did not see is retried with more runs', async () => {
    // The clock does not move for the warm-up and the first try (coarse resolution), then 0.25 ms a run.
    const m = fakeMachine([0, 0, 0.25]);
    const r = await timeRuns(m.run, { number: 1, repeat: 1 }, m.clock);
    expect(r.number).toBe(2); // max(ceil(0 / 1e-6) + 1, ceil(1 · 1.618))
    expect(r.results).toEqual([0.00025]);
    expect(m.calls()).toBe(1 + 1 + 2);
  });

  it('uses the real clock by default (results are non-negative and number is kept)', async () => {
    let calls = 0;
    const r = await timeRuns(() => { calls++; }, { number: 3, repeat: 2 });
    expect(calls).toBe(1 + 6);
    expect(r.number).toBe(3);
    expect(r.results).toHaveLength(2);
    expect(r.results.every((s) => s > 0 && Number.isFinite(s))).toBe(true);
  });

  it('rejects bad options', async () => {
    await expect(timeRuns(() => {}, { number: 0 })).rejects.toThrow(/number must be an integer/);
    await expect(timeRuns(() => {}, { repeat: 1.5 })).rejects.toThrow(/repeat must be an integer/);
    await expect(timeRuns(() => {}, { minRepeatMs: -1 })).rejects.toThrow(/minRepeatMs must be ≥ 0/);
  });
});
