// tests/tir/arith/int_bound_cases.test.ts — constIntBound of a division whose dividend and divisor
// are both unbounded on one side (max(x, 1), min(x, −1): no range for x): the corner ∞ / ∞ of the
// interval quotient must give ±∞ (the sign of the operands), never NaN, and the bound must hold
// for sampled values (floor / truncating division done in plain JS).

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { constIntBound } from '../../../tir/arith/int_bound.js';

const c = (n: number): t.IntImm => t.intImm(n);
const [x, y] = [t.variable('x'), t.variable('y')];
const atLeast = (v: t.Var, k: number): t.PrimExpr => t.max(v, c(k));
const atMost = (v: t.Var, k: number): t.PrimExpr => t.min(v, c(k));

describe('constIntBound: division with unbounded operands', () => {
  const cases: { name: string; a: t.PrimExpr; b: t.PrimExpr; expect: { min: number; max: number }; sign: [number, number] }[] = [
    { name: 'max(x,1) / max(y,1)', a: atLeast(x, 1), b: atLeast(y, 1), expect: { min: 0, max: Infinity }, sign: [1, 1] },
    { name: 'min(x,-1) / max(y,2)', a: atMost(x, -1), b: atLeast(y, 2), expect: { min: -Infinity, max: 0 }, sign: [-1, 1] },
    { name: 'max(x,3) / min(y,-2)', a: atLeast(x, 3), b: atMost(y, -2), expect: { min: -Infinity, max: 0 }, sign: [1, -1] },
    { name: 'min(x,-4) / min(y,-1)', a: atMost(x, -4), b: atMost(y, -1), expect: { min: 0, max: Infinity }, sign: [-1, -1] },
  ];
  for (const k of cases) {
    it(`${k.name}: floordiv and div bounds are [${k.expect.min}, ${k.expect.max}] and contain sampled quotients`, () => {
      for (const [op, js] of [[t.floordiv, (p: number, q: number) => Math.floor(p / q)], [t.div, (p: number, q: number) => Math.trunc(p / q)]] as const) {
        const b = constIntBound(op(k.a, k.b));
        expect(Number.isNaN(b.min) || Number.isNaN(b.max)).toBe(false);
        expect(b).toEqual(k.expect);
        // values of the operands: |a| ≥ its bound, |b| ≥ its bound, up to 10^9
        const as = [1, 3, 4, 7, 100, 12345, 1e9].map((v) => k.sign[0] * v).filter((v) => (k.sign[0] > 0 ? v >= constIntBound(k.a).min : v <= constIntBound(k.a).max));
        const bs = [1, 2, 3, 9, 1000, 1e9].map((v) => k.sign[1] * v).filter((v) => (k.sign[1] > 0 ? v >= constIntBound(k.b).min : v <= constIntBound(k.b).max));
        for (const p of as) for (const q of bs) {
          const v = js(p, q);
          expect(v >= b.min && v <= b.max, `${k.name}: ${p} / ${q} = ${v}`).toBe(true);
        }
      }
    });
  }
});
