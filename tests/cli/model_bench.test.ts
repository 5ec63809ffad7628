// tests/cli/model_bench.test.ts — model timing statistics and the onnxruntime-web peer on a hand-written
// ONNX model, checked against plain JS.

import { describe, expect, it } from 'vitest';
import { maxRelativeError, ortModel, quantile, timeLatency, warmUp } from '../../cli/model_bench.js';
import { reluAddOnnx } from './fixtures/tiny_onnx.js';

describe('quantile (nearest rank)', () => {
  it('matches the definition', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(quantile(xs, 0.5)).toBe(5);
    expect(quantile(xs, 0.9)).toBe(9);
    expect(quantile(xs, 1)).toBe(10);
    expect(quantile([3], 0.9)).toBe(3);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('warmUp', () => {
  it('runs until both the run count and the duration are reached (fake clock)', async () => {
    let now = 0;
    let calls = 0;
    // Each run takes 30 ms on the fake clock: 500 ms needs 17 runs, more than the 10 asked.
    expect(await warmUp(() => { calls++; now += 30; }, { minRuns: 10, minMs: 500 }, () => now)).toBe(17);
    expect(calls).toBe(17);
    // Fast runs: the run count decides.
    calls = 0;
    expect(await warmUp(() => { calls++; now += 1; }, { minRuns: 10, minMs: 5 }, () => now)).toBe(10);
    expect(calls).toBe(10);
  });

  it('awaits each run before the next', async () => {
    let inFlight = 0;
    let most = 0;
    await warmUp(async () => { inFlight++; most = Math.max(most, inFlight); await new Promise((r) => setImmediate(r)); inFlight--; }, { minRuns: 5, minMs: 0 });
    expect(most).toBe(1);
  });
});

describe('timeLatency', () => {
  it('reports median ≤ p90 over the requested measurements', async () => {
    let calls = 0;
    const l = await timeLatency(async () => { calls++; await Promise.resolve(); }, { repeat: 7, minRepeatMs: 1 });
    expect(l.samples).toHaveLength(7);
    expect(l.p90).toBeGreaterThanOrEqual(l.median);
    expect(l.min).toBeLessThanOrEqual(l.median);
    expect(calls).toBeGreaterThanOrEqual(8);
  });
});

describe('ortModel', () => {
  it('runs an ONNX file with onnxruntime-web and agrees with plain JS', async () => {
    const shape = [2, 3, 5];
    const n = 30;
    const bias = Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 4);
    const m = await ortModel(reluAddOnnx(shape, bias), [{ name: 'X', shape, dtype: 'float32' }], 1);
    try {
      const [y] = await m.run(new Map([['X', { data: x, shape, dtype: 'float32' as const }]]));
      expect(y!.shape).toEqual(shape);
      const want = Float32Array.from(x, (v, i) => Math.max(0, Math.fround(v + bias[i]!)));
      expect(maxRelativeError(y!, { data: want, shape, dtype: 'float32' })).toBe(0);
      expect(m.outputNames).toEqual(['Y']);
      expect(m.threads).toBe(1);
    } finally {
      await m.release();
    }
  }, 180_000);
});
