// tests/autotune/features.test.ts — itervar / curve / knob features: hand-computed touch statistics on a
// small loop nest, and fixed-size, instantiation-backed features on the real matmul template.

import { describe, expect, it } from 'vitest';
import { configFeatures, curveFeatures, fitLength, itervarFeatures } from '../../autotune/features.js';
import { createTask } from '../../autotune/task.js';
import { defaultFeatureLower } from '../../autotune/model_based_tuner.js';
import { registerAll } from '../../ops/register.js';
import * as tir from '../../tir/nodes.js';

/** for i in 0..16 (parallel): for j in 0..8 (vectorized): C[i, j] = A[i, j] + B[j] */
function smallFunc(): tir.PrimFunc {
  const A = tir.buffer('A', [16, 8], 'float32');
  const B = tir.buffer('B', [8], 'float32');
  const C = tir.buffer('C', [16, 8], 'float32');
  const i = tir.variable('i');
  const j = tir.variable('j');
  const body = tir.bufferStore(C, tir.add(tir.bufferLoad(A, [i, j]), tir.bufferLoad(B, [j])), [i, j]);
  const inner = tir.forLoop(j, 0, 8, 'vectorized', body);
  return tir.primFunc('small', [A, B, C], tir.forLoop(i, 0, 16, 'parallel', inner));
}

const lg = (x: number) => Math.sign(x) * Math.log2(Math.abs(x) + 1);

describe('itervar features', () => {
  const f = itervarFeatures(smallFunc());
  // Row: extent, depth, topdown, bottomup, 11 kinds, add, mul, div, then (stride, count, reuse) for
  // the accesses in program order: load A, load B, store C.
  const row = 4 + 11 + 3 + 3 * 3;

  it('has one fixed-size row per loop', () => {
    expect(f.length).toBe(2 * row);
  });

  it('matches hand-computed values for the outer loop', () => {
    const outer = f.slice(0, row);
    expect(outer.slice(0, 4)).toEqual([lg(16), 0, lg(16), lg(128)]);
    expect(outer.slice(4, 15)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // parallel
    expect(outer.slice(15, 18)).toEqual([0, 0, 0]); // arithmetic counts belong to the innermost loop
    // A[i, j]: stride of i is 8 (row-major), touched 16·8 times, no reuse.
    expect(outer.slice(18, 21)).toEqual([lg(8), lg(128), lg(1)]);
    // B[j]: i does not move it: stride 0, count 8, reused 16 times.
    expect(outer.slice(21, 24)).toEqual([0, lg(8), lg(16)]);
    expect(outer.slice(24, 27)).toEqual([lg(8), lg(128), lg(1)]);
  });

  it('matches hand-computed values for the inner loop', () => {
    const inner = f.slice(row);
    expect(inner.slice(0, 4)).toEqual([lg(8), lg(1), lg(128), lg(8)]);
    expect(inner.slice(4, 15)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]); // vectorized
    expect(inner.slice(15, 18)).toEqual([lg(1), 0, 0]); // one float add
    expect(inner.slice(21, 24)).toEqual([lg(1), lg(8), lg(1)]);
  });
});

describe('curve features', () => {
  it('samples a reuse curve per access', () => {
    const c = curveFeatures(smallFunc(), 20);
    expect(c.length).toBe(3 * 20);
    // B is reused by i at a distance of 8 floats = 32 bytes (2^5): 15·… reuses from x = 5 on.
    const b = c.slice(20, 40);
    expect(b.slice(0, 5).every((v) => v === 0)).toBe(true);
    expect(b[5]).toBeCloseTo(Math.log2(1 + 15));
    // A and C are never reused.
    expect(c.slice(0, 20).every((v) => v === 0)).toBe(true);
  });
});

describe('features of a real template', () => {
  registerAll();
  const task = createTask('matmul.wasm', [['TENSOR', [64, 48], 'float32'], ['TENSOR', [48, 32], 'float32']], 'wasm');

  it('extracts itervar, curve and knob features for configs of the matmul space', () => {
    // The nearest valid config at or below each index (the space refuses some knob combinations: multiFilter).
    const valid = (i: number): number => {
      while (!task.space.isIndexValid(i)) i--;
      return i;
    };
    for (const index of [0, 7, Math.floor(task.space.length / 2), task.space.length - 1].map(valid)) {
      const cfg = task.space.get(index);
      const it = configFeatures(task, cfg, 'itervar', defaultFeatureLower);
      const cu = configFeatures(task, cfg, 'curve', defaultFeatureLower);
      const kn = configFeatures(task, cfg, 'knob', defaultFeatureLower);
      expect(it.length).toBeGreaterThan(50);
      expect((cu.length - cfg.otherOptionFeatures().length) % 20).toBe(0);
      expect(kn).toEqual(cfg.flattenFeatures());
      expect(it.every(Number.isFinite)).toBe(true);
    }
  });

  it('distinguishes configs with different tilings', () => {
    const a = configFeatures(task, task.space.get(0), 'itervar', defaultFeatureLower);
    const b = configFeatures(task, task.space.get(3), 'itervar', defaultFeatureLower);
    expect(a).not.toEqual(b);
  });

  it('pads or truncates to a fixed length', () => {
    expect(Array.from(fitLength([1, 2], 4))).toEqual([1, 2, 0, 0]);
    expect(Array.from(fitLength([1, 2, 3], 2))).toEqual([1, 2]);
  });
});
