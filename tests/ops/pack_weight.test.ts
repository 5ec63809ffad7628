// tests/ops/pack_weight.test.ts — ops/pack_weight.ts against panels written out here by their definition
// (TVM's layout_transform 'NC' → 'NC{bn}n'): Wp[xo, k, xi] = W[xo·bn + xi, k] for dense's W [N, K], B[k, xo·bn + xi]
// for matmul's B [K, N], zero from N on; batched, the same per batch. Shapes where N ≠ K (a swapped pair would show),
// bn of 1, dividing N, not dividing it and above it; and each bad input alone, named.

import { describe, expect, it } from 'vitest';
import { packBatchedWeight, packProductWeight } from '../../ops/pack_weight.js';

/** Seeded values, none zero (a zero pad lane must not look like a copied value). */
const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 997) + 1);

/** The panels of the product weight whose element (n, k) is `at(n, k)`, N columns in panels of bn. */
function panels(N: number, K: number, bn: number, at: (n: number, k: number) => number): number[] {
  const out: number[] = [];
  for (let xo = 0; xo < Math.ceil(N / bn); xo++) for (let k = 0; k < K; k++) for (let xi = 0; xi < bn; xi++) out.push(xo * bn + xi < N ? at(xo * bn + xi, k) : 0);
  return out;
}

const SIZES: readonly [number, number, number][] = [[5, 3, 2], [3, 5, 2], [8, 6, 4], [7, 9, 4], [6, 4, 1], [3, 4, 8], [13, 2, 5], [1, 7, 4]];

describe('packProductWeight', () => {
  it('dense W [N, K] and matmul B [K, N] into panels [⌈N/bn⌉, K, bn], zero past N', () => {
    for (const [N, K, bn] of SIZES) {
      const W = values(N * K, N + K + bn);
      const want = panels(N, K, bn, (n, k) => W[n * K + k]!);
      const dense = packProductWeight(W, [N, K], bn, 'dense');
      expect(dense.shape, `N ${N} K ${K} bn ${bn}`).toEqual([Math.ceil(N / bn), K, bn]);
      expect([...dense.values], `dense N ${N} K ${K} bn ${bn}`).toEqual(want);
      // B = Wᵀ, stored [K, N]: the same panels.
      const B = new Float32Array(K * N);
      for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) B[k * N + n] = W[n * K + k]!;
      const matmul = packProductWeight(B, [K, N], bn, 'matmul');
      expect(matmul.shape).toEqual([Math.ceil(N / bn), K, bn]);
      expect([...matmul.values], `matmul N ${N} K ${K} bn ${bn}`).toEqual(want);
    }
  });

  it('names each bad input alone: the width, the rank, the element count', () => {
    const W = new Float32Array(6);
    for (const bn of [0, -2, 1.5, Number.NaN]) expect(() => packProductWeight(W, [2, 3], bn, 'dense'), `bn ${bn}`).toThrow(`packProductWeight: panel width must be a positive integer, got ${bn}`);
    expect(() => packProductWeight(W, [6], 2, 'dense')).toThrow(RangeError);
    expect(() => packProductWeight(W, [6], 2, 'dense')).toThrow('packProductWeight: the weight must be 2-D, got [6]');
    expect(() => packProductWeight(W, [1, 2, 3], 2, 'matmul')).toThrow('packProductWeight: the weight must be 2-D, got [1, 2, 3]');
    for (const n of [5, 7]) {
      expect(() => packProductWeight(new Float32Array(n), [2, 3], 2, 'dense')).toThrow(`packProductWeight: ${n} values for a [2, 3] weight`);
      expect(() => packProductWeight(new Float32Array(n), [3, 2], 2, 'matmul')).toThrow(`packProductWeight: ${n} values for a [3, 2] weight`);
    }
  });
});

describe('packBatchedWeight', () => {
  it('B [b, K, N] into [b, ⌈N/bn⌉, K, bn], each batch as matmul panels, zero past N', () => {
    for (const [b, [N, K, bn]] of [[1, SIZES[0]!], [3, SIZES[3]!], [2, SIZES[5]!], [4, SIZES[6]!]] as const) {
      const B = values(b * K * N, b);
      const want = Array.from({ length: b }, (_, t) => panels(N, K, bn, (n, k) => B[(t * K + k) * N + n]!)).flat();
      const p = packBatchedWeight(B, [b, K, N], bn);
      expect(p.shape, `b ${b} N ${N} K ${K} bn ${bn}`).toEqual([b, Math.ceil(N / bn), K, bn]);
      expect([...p.values], `b ${b} N ${N} K ${K} bn ${bn}`).toEqual(want);
    }
  });

  it('names each bad input alone: the rank, the element count, the width', () => {
    const B = new Float32Array(24);
    expect(() => packBatchedWeight(B, [4, 6], 2)).toThrow(RangeError);
    expect(() => packBatchedWeight(B, [4, 6], 2)).toThrow('packBatchedWeight: the weight must be 3-D [b, K, N], got [4, 6]');
    expect(() => packBatchedWeight(B, [1, 2, 3, 4], 2)).toThrow('packBatchedWeight: the weight must be 3-D [b, K, N], got [1, 2, 3, 4]');
    for (const n of [23, 25]) expect(() => packBatchedWeight(new Float32Array(n), [2, 3, 4], 2)).toThrow(`packBatchedWeight: ${n} values for a [2, 3, 4] weight`);
    expect(() => packBatchedWeight(B, [2, 3, 4], 0)).toThrow('panel width must be a positive integer, got 0');
  });
});
