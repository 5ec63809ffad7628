// tests/tir/arith/simplify_divmod_merge.test.ts — the simplifier reassembles floordiv(x, c)·k·c + floormod(x', c)·k
// into x·k also when x' is x with coefficients reduced modulo c (what simplifyMod leaves of a fused loop's row tile,
// the index conv2d_gemm_NCHWc's view reads its accumulator tile at), and only then: a remainder that is not congruent
// stays as it is. Each case checked against plain JS at every point of its ranges.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { substituteExpr } from '../../../tir/functor.js';
import { simplifyExpr } from '../../../tir/arith/index.js';

const c = (n: number): t.IntImm => t.intImm(n);
const [a, b] = ['a', 'b'].map((n) => t.variable(n)) as [t.Var, t.Var];
const R = new Map([[a, t.range(0, 12)], [b, t.range(0, 4)]]);
const fdiv = (x: number, y: number): number => Math.floor(x / y);
const fmod = (x: number, y: number): number => x - fdiv(x, y) * y;

/** simplifyExpr(e) and e agree with `js` at every (a, b) of R. */
function agrees(e: t.PrimExpr, js: (a: number, b: number) => number): void {
  const s = simplifyExpr(e, R);
  for (let va = 0; va < 12; va++) for (let vb = 0; vb < 4; vb++) {
    const at = new Map([[a, c(va)], [b, c(vb)]]);
    for (const x of [e, s]) {
      const v = simplifyExpr(substituteExpr(x, at));
      expect(v.kind === 'IntImm' ? v.value : NaN, `${print(x)} at a=${va} b=${vb}`).toBe(js(va, vb));
    }
  }
}

// 16a + 4b + r: a fused pixel index (tiles of 4 pixels, blocks of 4 tiles) in rows of 14.
const x16 = (r: number): t.PrimExpr => t.add(t.add(t.mul(a, c(16)), t.mul(b, c(4))), c(r));

describe('simplifyExpr: floordiv·k·c + floormod·k with congruent arguments', () => {
  it('merges floordiv(16a + 4b + 1, 14)·112 + floormod(2a + 4b + 1, 14)·8 into (16a + 4b + 1)·8', () => {
    const e = t.add(t.mul(t.floordiv(x16(1), c(14)), c(112)), t.mul(t.floormod(t.add(t.add(t.mul(a, c(2)), t.mul(b, c(4))), c(1)), c(14)), c(8)));
    expect(print(simplifyExpr(e, R))).toBe('a * 128 + b * 32 + 8');
    agrees(e, (va, vb) => (16 * va + 4 * vb + 1) * 8);
  });

  it('merges the pair the simplifier itself makes of floordiv(16a + 4b, 14)·112 + floormod(16a + 4b, 14)·8 (gcd 2, coefficients mod 7)', () => {
    const e = t.add(t.mul(t.floordiv(x16(0), c(14)), c(112)), t.mul(t.floormod(x16(0), c(14)), c(8)));
    expect(print(simplifyExpr(e, R))).toBe('a * 128 + b * 32');
    agrees(e, (va, vb) => (16 * va + 4 * vb) * 8);
  });

  it('keeps the pair when the remainder\'s argument is not congruent (off by 1, or by a term), and is right', () => {
    const off = t.add(t.mul(t.floordiv(x16(1), c(14)), c(14)), t.floormod(x16(3), c(14)));
    expect(print(simplifyExpr(off, R))).toMatch(/\/\//);
    agrees(off, (va, vb) => fdiv(16 * va + 4 * vb + 1, 14) * 14 + fmod(16 * va + 4 * vb + 3, 14));
    const term = t.add(t.mul(t.floordiv(x16(1), c(14)), c(14)), t.floormod(t.add(x16(1), b), c(14)));
    expect(print(simplifyExpr(term, R))).toMatch(/\/\//);
    agrees(term, (va, vb) => fdiv(16 * va + 4 * vb + 1, 14) * 14 + fmod(16 * va + 5 * vb + 1, 14));
  });

  it('keeps the pair when the coefficients do not match (k·c vs k), and is right', () => {
    const e = t.add(t.mul(t.floordiv(x16(3), c(14)), c(13)), t.floormod(x16(3), c(14)));
    expect(print(simplifyExpr(e, R))).toMatch(/\/\//);
    agrees(e, (va, vb) => fdiv(16 * va + 4 * vb + 3, 14) * 13 + fmod(16 * va + 4 * vb + 3, 14));
  });
});
