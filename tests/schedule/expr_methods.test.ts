// tests/schedule/expr_methods.test.ts — every chainable method of te.Expr (add … ge, and/or/not,
// neg, astype) and the free functions floordiv/floormod/maximum/minimum/all, computed through
// te.lower + the interpreter on float32 and int32 data with ties, negatives and zero, against the
// same operation in plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';

const n = 16;
// Small integers with repeats, so eq/ne/le/ge see ties; b never 0 for division.
const ai = Int32Array.from({ length: n }, (_, i) => ((i * 7) % 9) - 4);
const bi = Int32Array.from([-4, 2, 1, -3, -3, 3, 2, 1, -1, -4, 4, -2, -1, 2, 4, -3]);
const af = Float32Array.from(ai, (x) => x * 0.5);
const bf = Float32Array.from(bi, (x) => x * 0.5);

type Method = (a: te.Expr, b: te.Expr) => te.Expr;

/** out[i] = f(A[i], B[i]) lowered and interpreted; comparisons come back as 0/1. */
function compute(dtype: 'float32' | 'int32', f: Method, outDtype: 'float32' | 'int32' = dtype): number[] {
  const A = te.placeholder([n], dtype, 'A');
  const B = te.placeholder([n], dtype, 'B');
  const C = te.compute([n], (i) => {
    const e = f(A.at(i), B.at(i));
    return e.dtype === 'bool' ? te.cast(outDtype, e) : e;
  }, 'C');
  const func = te.lower(te.createSchedule([C]), [A, B, C], { name: 'f' });
  const out = outDtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  interpret(func, dtype === 'float32' ? [af, bf, out] : [ai, bi, out]);
  return z([...out]);
}

/** −0 and +0 compared as equal (toEqual tells them apart). */
const z = (xs: number[]): number[] => xs.map((x) => x + 0);

const jsOps: [string, Method, (x: number, y: number) => number][] = [
  ['add', (a, b) => a.add(b), (x, y) => x + y],
  ['sub', (a, b) => a.sub(b), (x, y) => x - y],
  ['mul', (a, b) => a.mul(b), (x, y) => x * y],
  ['min', (a, b) => a.min(b), Math.min],
  ['max', (a, b) => a.max(b), Math.max],
  ['eq', (a, b) => a.eq(b), (x, y) => Number(x === y)],
  ['ne', (a, b) => a.ne(b), (x, y) => Number(x !== y)],
  ['lt', (a, b) => a.lt(b), (x, y) => Number(x < y)],
  ['le', (a, b) => a.le(b), (x, y) => Number(x <= y)],
  ['gt', (a, b) => a.gt(b), (x, y) => Number(x > y)],
  ['ge', (a, b) => a.ge(b), (x, y) => Number(x >= y)],
  ['and', (a, b) => a.gt(0).and(b.lt(0)), (x, y) => Number(x > 0 && y < 0)],
  ['or', (a, b) => a.gt(0).or(b.lt(0)), (x, y) => Number(x > 0 || y < 0)],
  ['not', (a) => a.ge(0).not(), (x) => Number(!(x >= 0))],
  ['neg', (a) => a.neg(), (x) => -x],
];

describe('te.Expr methods compute what they are named after', () => {
  // The data really has ties and both orders, so each comparison differs from every other one.
  it('the data has ties, both orders and negatives', () => {
    const pairs = [...ai].map((x, i) => Math.sign(x - bi[i]!));
    expect(new Set(pairs)).toEqual(new Set([-1, 0, 1]));
  });

  for (const [name, method, js] of jsOps) {
    it(`${name} on float32 and int32`, () => {
      expect(compute('float32', method)).toEqual(z([...af].map((x, i) => Math.fround(js(x, bf[i]!)))));
      expect(compute('int32', method)).toEqual(z([...ai].map((x, i) => js(x, bi[i]!) | 0)));
    });
  }

  it('div is float division on float32 and truncating (C) division on int32', () => {
    expect(compute('float32', (a, b) => a.div(b))).toEqual(z([...af].map((x, i) => Math.fround(x / bf[i]!))));
    expect(compute('int32', (a, b) => a.div(b))).toEqual(z([...ai].map((x, i) => Math.trunc(x / bi[i]!))));
  });

  it('floordiv / floormod (methods and functions) round toward −∞ on int32', () => {
    const fd = z([...ai].map((x, i) => Math.floor(x / bi[i]!)));
    const fm = z([...ai].map((x, i) => x - bi[i]! * Math.floor(x / bi[i]!)));
    expect(compute('int32', (a, b) => a.floordiv(b))).toEqual(fd);
    expect(compute('int32', (a, b) => te.floordiv(a, b))).toEqual(fd);
    expect(compute('int32', (a, b) => a.floormod(b))).toEqual(fm);
    expect(compute('int32', (a, b) => te.floormod(a, b))).toEqual(fm);
  });

  it('maximum / minimum / all', () => {
    expect(compute('float32', (a, b) => te.maximum(a, b))).toEqual(z([...af].map((x, i) => Math.max(x, bf[i]!))));
    expect(compute('float32', (a, b) => te.minimum(a, b))).toEqual(z([...af].map((x, i) => Math.min(x, bf[i]!))));
    expect(compute('int32', (a, b) => te.all(a.gt(-2), b.gt(-2), a.ne(b)))).toEqual([...ai].map((x, i) => Number(x > -2 && bi[i]! > -2 && x !== bi[i])));
  });

  it('astype converts int32 → float32 and truncates float32 → int32', () => {
    expect(compute('int32', (a) => a.astype('float32').mul(0.5), 'float32')).toEqual(z([...ai].map((x) => x * 0.5)));
    const A = te.placeholder([n], 'float32', 'A');
    const C = te.compute([n], (i) => A.at(i).mul(1.5).astype('int32'), 'C');
    const out = new Int32Array(n);
    interpret(te.lower(te.createSchedule([C]), [A, C], { name: 'f' }), [af, out]);
    expect(z([...out])).toEqual(z([...af].map((x) => Math.trunc(Math.fround(x * 1.5)))));
  });
});
