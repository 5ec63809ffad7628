// tests/tir/arith/int_bound_lets.test.ts — constIntBound where no other test looked: a Let (its
// variable bounded by its value, an inner Let of the same variable shadowing it and undone after),
// floormod by a negative or a zero-spanning divisor, and int expressions it cannot bound (a load).
// Every bound is checked to be exact against the values computed in plain JS over the ranges.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { constIntBound, EVERYTHING } from '../../../tir/arith/index.js';

const x = t.variable('x');
const y = t.variable('y');
const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;

/** [min, max] of f over x ∈ [xlo, xhi] (and y ∈ [ylo, yhi]), by enumeration. */
function exact(f: (xv: number, yv: number) => number, [xlo, xhi]: [number, number], [ylo, yhi]: [number, number] = [0, 0]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let a = xlo; a <= xhi; a++) for (let b = ylo; b <= yhi; b++) { const v = f(a, b); min = Math.min(min, v); max = Math.max(max, v); }
  return { min, max };
}

describe('constIntBound: Let', () => {
  const rs = new Map([[x, t.range(0, 4)]]);
  it('bounds the let variable by its value', () => {
    // let y = 2x + 1 in y * 3: exactly [3, 21]
    const e = t.letExpr(y, t.add(t.mul(x, t.intImm(2)), t.intImm(1)), t.mul(y, t.intImm(3)));
    expect(constIntBound(e, rs)).toEqual(exact((a) => (2 * a + 1) * 3, [0, 3]));
  });

  it('an inner let of the same variable shadows it, and the outer bound is back after it', () => {
    // let y = x in (let y = y + 10 in y) + y   →  [10, 13] + [0, 3]
    const e = t.letExpr(y, x, t.add(t.letExpr(y, t.add(y, t.intImm(10)), y), y));
    expect(constIntBound(e, rs)).toEqual({ min: 10, max: 16 });
    // and the variable is unbounded again outside the let
    expect(constIntBound(t.add(e, y), rs)).toEqual(EVERYTHING);
  });

  it('a let variable that also has a range: the let wins inside, the range outside', () => {
    const ranges = new Map([[x, t.range(0, 4)], [y, t.range(100, 5)]]);
    const e = t.add(t.letExpr(y, t.mul(x, t.intImm(-1)), y), y);
    expect(constIntBound(e, ranges)).toEqual({ min: 100 - 3, max: 104 });
  });
});

describe('constIntBound: floormod by a divisor that is not positive', () => {
  it('a negative constant divisor gives (c, 0]', () => {
    for (const c of [-1, -3, -8]) {
      const b = constIntBound(t.floormod(x, t.intImm(c)), new Map([[x, t.range(-5, 20)]]));
      expect(b).toEqual({ min: c + 1, max: 0 });
      const got = exact((a) => floorMod(a, c), [-5, 14]);
      expect(got.min).toBeGreaterThanOrEqual(b.min);
      expect(got.max).toBeLessThanOrEqual(b.max);
    }
  });

  it('a negative divisor range [−5, −2] gives [−4, 0]', () => {
    const b = constIntBound(t.floormod(x, y), new Map([[x, t.range(0, 30)], [y, t.range(-5, 4)]]));
    expect(b).toEqual({ min: -4, max: 0 });
    expect(exact((a, d) => floorMod(a, d), [0, 29], [-5, -2])).toEqual(b);
  });

  it('a divisor range holding 0 (or both signs) is unbounded', () => {
    expect(constIntBound(t.floormod(x, y), new Map([[x, t.range(0, 30)], [y, t.range(-2, 5)]]))).toEqual(EVERYTHING);
    expect(constIntBound(t.floormod(x, y), new Map([[x, t.range(0, 30)], [y, t.range(0, 3)]]))).toEqual(EVERYTHING);
    // [−2, 0]: 0 is a possible divisor
    expect(constIntBound(t.floormod(x, y), new Map([[x, t.range(0, 30)], [y, t.range(-2, 3)]]))).toEqual(EVERYTHING);
  });
});

describe('constIntBound: what it cannot bound', () => {
  it('an int32 load is unbounded, also inside arithmetic', () => {
    const A = t.buffer('A', [4], 'int32');
    const ld = t.bufferLoad(A, [x]);
    expect(constIntBound(ld, new Map([[x, t.range(0, 4)]]))).toEqual(EVERYTHING);
    expect(constIntBound(t.min(ld, t.intImm(5)))).toEqual({ min: -Infinity, max: 5 });
  });

  it('an int32 if_then_else call: its bound holds every value it takes', () => {
    const e = t.ifThenElseExpr(t.lt(x, t.intImm(2)), t.add(x, t.intImm(5)), t.intImm(7));
    const b = constIntBound(e, new Map([[x, t.range(0, 4)]]));
    const got = exact((a) => (a < 2 ? a + 5 : 7), [0, 3]);
    expect(b.min).toBeLessThanOrEqual(got.min);
    expect(b.max).toBeGreaterThanOrEqual(got.max);
  });
});
