// tests/cli/model_bench.test.ts — model timing statistics and the onnxruntime-web peer on a hand-written
// ONNX model, checked against plain JS.

import { describe, expect, it } from 'vitest';
import { maxRelativeError, ortModel, quantile, timeLatency } from '../../cli/model_bench.js';
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
