// tests/runtime/time_evaluator.test.ts — TVM time-evaluator semantics (counts, not timings).

import { describe, expect, it } from 'vitest';
import { timeRuns } from '../../runtime/time_evaluator.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* spin */ }
}

describe('timeRuns', () => {
  it('does one warm-up then repeat × number runs and reports per-run seconds', async () => {
    let calls = 0;
    const r = await timeRuns(() => { calls++; }, { number: 5, repeat: 3 });
    expect(calls).toBe(1 + 15);
    expect(r.results).toHaveLength(3);
    expect(r.number).toBe(5);
    expect(r.min).toBeLessThanOrEqual(r.median);
    expect(r.min).toBeLessThanOrEqual(r.mean);
  });

  it('raises number until a repeat lasts minRepeatMs', async () => {
    let calls = 0;
    const r = await timeRuns(() => { calls++; busy(0.2); }, { number: 1, repeat: 2, minRepeatMs: 5 });
    expect(r.number).toBeGreaterThan(1);
    expect(r.results.every((s) => s * r.number * 1000 >= 5 * 0.999)).toBe(true);
    expect(calls).toBeGreaterThan(2 * r.number);
  });

  it('rejects bad options', async () => {
    await expect(timeRuns(() => {}, { number: 0 })).rejects.toThrow(/number must be an integer/);
    await expect(timeRuns(() => {}, { repeat: 1.5 })).rejects.toThrow(/repeat must be an integer/);
  });
});
