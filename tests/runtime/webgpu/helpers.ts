// tests/runtime/webgpu/helpers.ts — small NDArrayLike arrays and a seeded filler for the WebGPU tests.

import type { DataType } from '../../../tir/nodes.js';
import type { NDArrayLike } from '../../../runtime/module.js';

export function hostArray(shape: readonly number[], dtype: DataType = 'float32', fill?: (i: number) => number): NDArrayLike {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  if (fill) for (let i = 0; i < size; i++) data[i] = fill(i);
  return { shape: [...shape], dtype, size, data };
}

/** A deterministic pseudo-random filler in [-1, 1) (a tiny LCG, so failures reproduce). */
export function seeded(seed: number): (i: number) => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
