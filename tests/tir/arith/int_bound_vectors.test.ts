// tests/tir/arith/int_bound_vectors.test.ts — constIntBound of a Ramp covers every lane: base +
// stride·k for k in [0, lanes), for positive, negative and sign-changing strides, checked against
// the lanes enumerated in plain JS over the whole variable ranges (the bound must hold every lane
// and be tight at both ends when base and stride are independent). A Broadcast has its value's
// bound. The fresh seed-1101 sample found `base.max + span.max` → `base.max - span.max` unseen.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { constIntBound } from '../../../tir/arith/index.js';

const x = t.variable('x');
const s = t.variable('s');

function lanes(xr: [number, number], sr: [number, number], n: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let xv = xr[0]; xv <= xr[1]; xv++) {
    for (let sv = sr[0]; sv <= sr[1]; sv++) {
      for (let k = 0; k < n; k++) {
        min = Math.min(min, xv + sv * k);
        max = Math.max(max, xv + sv * k);
      }
    }
  }
  return { min, max };
}

describe('constIntBound: Ramp and Broadcast', () => {
  const cases: [[number, number], [number, number], number][] = [
    [[0, 10], [3, 3], 4],
    [[2, 5], [-2, -2], 8],
    [[-4, 4], [1, 3], 4],
    [[0, 0], [-3, 2], 5],
  ];
  for (const [xr, sr, n] of cases) {
    it(`ramp(x ∈ [${xr}], stride ∈ [${sr}], ${n} lanes)`, () => {
      const ranges = new Map([[x, t.range(xr[0], xr[1] - xr[0] + 1)], [s, t.range(sr[0], sr[1] - sr[0] + 1)]]);
      const stride = sr[0] === sr[1] ? t.intImm(sr[0]) : s;
      expect(constIntBound(t.ramp(x, stride, n), ranges)).toEqual(lanes(xr, sr, n));
    });
  }

  it('a broadcast has the bound of its value', () => {
    const ranges = new Map([[x, t.range(-3, 7)]]);
    expect(constIntBound(t.broadcast(t.add(x, t.intImm(2)), 4), ranges)).toEqual({ min: -1, max: 5 });
  });
});
