// tests/schedule/arith.test.ts — bound inference's arithmetic (schedule/arith.ts): the folding
// builders keep the value of what they build (property, constants of either sign, against plain
// JS) and fold what they promise to; constBounds; toLinear; relaxInterval — the symbolic window
// of an index expression over relaxed loop variables must contain every value the expression
// takes (checked point by point by a plain-JS evaluator), be exact for affine expressions, and
// hold for floordiv / floormod atoms of windows anywhere, negative included.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as tir from '../../tir/nodes.js';
import type { PrimExpr, Var } from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';
import { evalInt } from '../reference/eval_index.js';
import { linToExpr } from '../../tir/arith/linear.js';
import { addI, constBounds, floordivI, floormodI, linConstValue, mulI, relaxInterval, subI, toLinear } from '../../schedule/arith.js';

const [x, y, z] = ['x', 'y', 'z'].map((n) => tir.variable(n)) as [Var, Var, Var];
const int = (v: number): PrimExpr => tir.intImm(v);

const evalI = evalInt;

const operand = fc.oneof(fc.integer({ min: -9, max: 9 }).map((v) => ({ e: int(v), v: (_: number) => v })), fc.constant({ e: x as PrimExpr, v: (xv: number) => xv }));

describe('folding builders', () => {
  it('keep the value of what they build (property)', () => {
    fc.assert(fc.property(operand, operand, fc.integer({ min: 1, max: 9 }), fc.integer({ min: -30, max: 30 }), (a, b, n, xv) => {
      const env = new Map([[x, xv]]);
      const A = a.v(xv), B = b.v(xv);
      expect(evalI(addI(a.e, b.e), env)).toBe(A + B);
      expect(evalI(subI(a.e, b.e), env)).toBe(A - B);
      expect(evalI(mulI(a.e, b.e), env) + 0).toBe(A * B + 0);
      expect(evalI(floordivI(a.e, n), env)).toBe(Math.floor(A / n));
      expect(evalI(floormodI(a.e, n), env) + 0).toBe(A - Math.floor(A / n) * n + 0);
    }), { numRuns: 400, seed: 1451 });
  });

  it('fold constants and identities', () => {
    expect(print(addI(int(3), int(-5)))).toBe('-2');
    expect(addI(int(0), x)).toBe(x);
    expect(addI(x, int(0))).toBe(x);
    expect(print(addI(x, int(-4)))).toBe('x - 4');
    expect(print(addI(x, int(4)))).toBe('x + 4');
    expect(print(subI(int(3), int(5)))).toBe('-2');
    expect(subI(x, int(0))).toBe(x);
    expect(print(subI(int(0), x))).toBe('0 - x');
    expect(print(mulI(int(3), int(-5)))).toBe('-15');
    expect(mulI(int(1), x)).toBe(x);
    expect(mulI(x, int(1))).toBe(x);
    expect(print(mulI(x, int(0)))).toBe('0');
    expect(print(mulI(int(0), x))).toBe('0');
    expect(print(floordivI(int(-7), 2))).toBe('-4');
    expect(floordivI(x, 1)).toBe(x);
    expect(print(floordivI(x, 4))).toBe('x // 4');
    expect(print(floormodI(int(-7), 3))).toBe('2');
    expect(print(floormodI(x, 1))).toBe('0');
    expect(print(floormodI(x, 4))).toBe('x % 4');
  });
});

describe('constBounds and toLinear', () => {
  it('bounds an expression over ranged variables, undefined when a variable has no range', () => {
    const R = new Map([[x, tir.range(-3, 8)], [y, tir.range(2, 5)]]);
    expect(constBounds(tir.add(tir.mul(x, int(2)), y), R)).toEqual([-4, 14]);
    expect(constBounds(tir.sub(y, x), R)).toEqual([-2, 9]);
    expect(constBounds(tir.add(x, z), R)).toBeUndefined();
    expect(constBounds(tir.floormod(z, int(5)), R)).toBeUndefined();
    // the analyzer reads the map live: a range added later is seen
    R.set(z, tir.range(0, 2));
    expect(constBounds(tir.add(x, z), R)).toEqual([-3, 5]);
  });

  it('takes add, sub and multiplication by a constant apart, other nodes stay atoms', () => {
    const l = toLinear(tir.sub(tir.add(tir.mul(int(3), x), tir.mul(y, int(-2))), tir.sub(int(4), x)));
    expect(print(linToExpr(l))).toBe('x * 4 - y * 2 - 4');
    expect(linConstValue(toLinear(tir.sub(tir.mul(int(3), int(4)), int(5))))).toBe(7);
    expect(linConstValue(toLinear(x))).toBeUndefined();
    expect(toLinear(tir.mul(x, y)).terms.size).toBe(1);
    expect(toLinear(tir.floordiv(x, int(2))).terms.size).toBe(1);
  });
});

/** Every point of the relaxed ranges (x, y) at a fixed z: value within [min, max] of the interval. */
function intervalHolds(e: PrimExpr, xr: [number, number], yr: [number, number], zv: number, exact: boolean): void {
  const relax = new Map([[x, tir.range(xr[0], xr[1])], [y, tir.range(yr[0], yr[1])]]);
  const iv = relaxInterval(e, relax);
  if (!iv) throw new Error(`no interval for ${print(e)}`);
  const env = new Map([[z, zv]]);
  const lo = evalI(linToExpr(iv.min), env);
  const hi = evalI(linToExpr(iv.max), env);
  let seenLo = Infinity, seenHi = -Infinity;
  for (let a = xr[0]; a < xr[0] + xr[1]; a++) {
    for (let b = yr[0]; b < yr[0] + yr[1]; b++) {
      const v = evalI(e, new Map([[x, a], [y, b], [z, zv]]));
      seenLo = Math.min(seenLo, v);
      seenHi = Math.max(seenHi, v);
    }
  }
  if (!(lo <= seenLo && seenHi <= hi)) throw new Error(`${print(e)} at z=${zv}: interval [${lo}, ${hi}] misses [${seenLo}, ${seenHi}]`);
  if (exact && (lo !== seenLo || hi !== seenHi)) throw new Error(`${print(e)} at z=${zv}: interval [${lo}, ${hi}] is not [${seenLo}, ${seenHi}]`);
}

const rangeArb = fc.tuple(fc.integer({ min: -12, max: 12 }), fc.integer({ min: 1, max: 7 }));
const coeff = fc.integer({ min: -4, max: 4 });

describe('relaxInterval (property)', () => {
  it('is exact for affine expressions, fixed variables kept symbolic', () => {
    fc.assert(fc.property(coeff, coeff, coeff, fc.integer({ min: -9, max: 9 }), rangeArb, rangeArb, fc.integer({ min: -5, max: 5 }), (a, b, cz, k, xr, yr, zv) => {
      const e = tir.add(tir.add(tir.add(tir.mul(x, int(a)), tir.mul(int(b), y)), tir.mul(z, int(cz))), int(k));
      intervalHolds(e, xr, yr, zv, true);
      intervalHolds(tir.sub(e, tir.mul(x, int(2))), xr, yr, zv, true);
    }), { numRuns: 200, seed: 1452 });
  });

  it('contains every value of floordiv / floormod atoms of windows anywhere', () => {
    fc.assert(fc.property(coeff, coeff, fc.integer({ min: 1, max: 8 }), fc.integer({ min: -9, max: 9 }), rangeArb, rangeArb, fc.integer({ min: -5, max: 5 }), (a, b, d, k, xr, yr, zv) => {
      const inner = tir.add(tir.add(tir.mul(x, int(a)), y), tir.add(z, int(k)));
      intervalHolds(tir.add(tir.mul(tir.floordiv(inner, int(d)), int(b)), x), xr, yr, zv, false);
      intervalHolds(tir.sub(tir.floormod(inner, int(d)), tir.mul(y, int(b))), xr, yr, zv, false);
      intervalHolds(tir.floordiv(tir.add(tir.floordiv(inner, int(d)), y), int(2)), xr, yr, zv, false);
    }), { numRuns: 200, seed: 1453 });
  });

  it('a floordiv window is at most width / c + 2 values; floormod gives [0, c)', () => {
    const relax = new Map([[x, tir.range(0, 8)]]);
    const fd = relaxInterval(tir.floordiv(tir.add(x, z), int(4)), relax)!;
    expect(print(linToExpr(fd.min))).toBe('z // 4');
    expect(print(linToExpr(fd.max))).toBe('z // 4 + 2');
    const fm = relaxInterval(tir.floormod(tir.add(x, z), int(4)), relax)!;
    expect([print(linToExpr(fm.min)), print(linToExpr(fm.max))]).toEqual(['0', '3']);
    // only relaxed variables: a numeric interval, tighter than the [0, c) rule
    const num = relaxInterval(tir.floormod(x, int(16)), relax)!;
    expect([print(linToExpr(num.min)), print(linToExpr(num.max))]).toEqual(['0', '7']);
  });

  it('gives up on non-linear atoms of relaxed variables it cannot bound', () => {
    const relax = new Map([[x, tir.range(0, 8)]]);
    expect(relaxInterval(tir.mul(tir.add(x, z), z), relax)).toBeUndefined();
    expect(relaxInterval(tir.floordiv(tir.add(x, z), z), relax)).toBeUndefined();
    expect(relaxInterval(tir.floordiv(tir.add(x, z), int(-2)), relax)).toBeUndefined();
    expect(relaxInterval(tir.floordiv(tir.mul(tir.add(x, z), z), int(2)), relax)).toBeUndefined();
    expect(relaxInterval(tir.min(tir.add(x, z), z), relax)).toBeUndefined();
  });
});
