// tests/codegen/wgsl/shared_access_affine.test.ts — summarizeIndex (codegen/wgsl/shared_access.ts):
// the affine summary Σ coeff·thread + Σ coeff·uniform + [lo, hi] of an index under subtraction and
// multiplication by positive and negative constants, against summaries computed by hand.

import { describe, expect, it } from 'vitest';
import { summarizeIndex, type VarContext } from '../../../codegen/wgsl/shared_access.js';
import * as T from '../../../tir/nodes.js';

const tx = T.variable('tx');
const u = T.variable('u');
const i = T.variable('i');
const j = T.variable('j');
const ctx: VarContext = new Map([
  [tx, { kind: 'thread', tag: 'threadIdx.x', extent: 64 }],
  [u, { kind: 'uniform', key: 'u' }],
  [i, { kind: 'range', min: 0, max: 3 }],
  [j, { kind: 'range', min: -2, max: 5 }],
]);
const c = (v: number): T.IntImm => T.intImm(v);
const plain = (e: T.PrimExpr): unknown => {
  const s = summarizeIndex([e], ctx);
  return s && { thread: Object.fromEntries([...s.thread].map(([k, t]) => [k, t.coeff])), uniform: Object.fromEntries(s.uniform), lo: s.lo, hi: s.hi };
};

describe('summarizeIndex: affine summaries by hand', () => {
  it('tx·8 + u·3 − i: a subtracted range flips into [−3, 0]', () => {
    expect(plain(T.sub(T.add(T.mul(tx, c(8)), T.mul(u, c(3))), i))).toEqual({ thread: { 'threadIdx.x': 8 }, uniform: { u: 3 }, lo: -3, hi: 0 });
  });

  it('tx·4 − u·3 + i·3: a subtracted uniform term is −3·u; a range times 3 is [0, 9]', () => {
    expect(plain(T.add(T.sub(T.mul(tx, c(4)), T.mul(u, c(3))), T.mul(i, c(3))))).toEqual({ thread: { 'threadIdx.x': 4 }, uniform: { u: -3 }, lo: 0, hi: 9 });
  });

  it('j·(−2) + tx, (−3)·(u + j), j·3: a negative scale swaps the ends and negates coefficients', () => {
    // j ∈ [−2, 5] → j·(−2) ∈ [−10, 4]
    expect(plain(T.add(T.mul(j, c(-2)), tx))).toEqual({ thread: { 'threadIdx.x': 1 }, uniform: {}, lo: -10, hi: 4 });
    // u + j: u·1 + [−2, 5]; times −3: −3·u + [−15, 6]
    expect(plain(T.mul(c(-3), T.add(u, j)))).toEqual({ thread: {}, uniform: { u: -3 }, lo: -15, hi: 6 });
    // j·3 ∈ [−6, 15] (a positive scale keeps the ends in place)
    expect(plain(T.mul(j, c(3)))).toEqual({ thread: {}, uniform: {}, lo: -6, hi: 15 });
    // tx − tx·(−2) = 3·tx
    expect(plain(T.sub(tx, T.mul(tx, c(-2))))).toEqual({ thread: { 'threadIdx.x': 3 }, uniform: {}, lo: 0, hi: 0 });
  });
});
