// tests/schedule/reduce.test.ts — the reducers (schedule/reduce.ts): te.sum / prod / max / min over
// one or two reduce axes, with and without `where`, lowered and interpreted against plain-JS
// loops (rows no split divides: 7×5, 3×4×6); te.max / te.min of two values are elementwise; bad
// axis lists are refused naming the reducer.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { data, expectClose as closeFinite, run } from './helpers.js';

/** Exact where the answer is ±∞ (an empty max/min), else within `tol` (helpers' check is for finite values). */
function expectClose(got: Float32Array, want: Float32Array, tol: number): void {
  for (let i = 0; i < want.length; i++) if (!Number.isFinite(want[i]!)) expect(got[i], `element ${i}`).toBe(want[i]);
  const finite = (x: Float32Array): Float32Array => x.map((v, i) => (Number.isFinite(want[i]!) ? v : 0));
  closeFinite(finite(got), finite(want), tol);
}

const M = 7, K = 5;
const A = te.placeholder([M, K], 'float32', 'A');
const a = data(M * K, 1); // what helpers.run feeds A (first input, seed 1)
const f32 = Math.fround;

function rows(fold: (acc: number, v: number) => number, init: number, keep: (i: number, k: number) => boolean = () => true): Float32Array {
  return Float32Array.from({ length: M }, (_, i) => {
    let acc = init;
    for (let k = 0; k < K; k++) if (keep(i, k)) acc = fold(acc, a[i * K + k]!);
    return acc;
  });
}

function reduceRows(r: (src: te.Expr, k: ReturnType<typeof te.reduceAxis>, i: te.Expr) => te.Expr): Float32Array {
  const k = te.reduceAxis(K, 'k');
  const B = te.compute([M], (i) => r(A.at(i, k), k, i), 'B');
  return run(te.createSchedule([B]), [A, B]);
}

describe('reducers against plain JS', () => {
  it('sum, prod, max and min over one axis', () => {
    expectClose(reduceRows((x, k) => te.sum(x, k)), rows((s, v) => f32(s + v), 0), 1e-6);
    expectClose(reduceRows((x, k) => te.prod(x.add(1), [k])), rows((s, v) => f32(s * f32(v + 1)), 1), 1e-6);
    expectClose(reduceRows((x, k) => te.max(x, [k])), rows(Math.max, -Infinity), 0);
    expectClose(reduceRows((x, k) => te.min(x, [k])), rows(Math.min, Infinity), 0);
  });

  it('where given as a number: 1 keeps every iteration, 0 none (the identity), as for a bool', () => {
    expectClose(reduceRows((x, k) => te.sum(x, [k], 1)), rows((s, v) => f32(s + v), 0), 1e-6);
    expectClose(reduceRows((x, k) => te.sum(x, [k], 0)), rows((s, v) => f32(s + v), 0, () => false), 0);
    expectClose(reduceRows((x, k) => te.max(x, [k], 0)), rows(Math.max, -Infinity, () => false), 0);
  });

  it('where: only the iterations where the condition holds (an empty one gives the identity)', () => {
    const keep = (i: number, k: number): boolean => k < i - 1;
    const cond = (k: ReturnType<typeof te.reduceAxis>, i: te.Expr): te.Expr => new te.Expr(k.variable).lt(i.sub(1));
    expectClose(reduceRows((x, k, i) => te.sum(x, [k], cond(k, i))), rows((s, v) => f32(s + v), 0, keep), 1e-6);
    expectClose(reduceRows((x, k, i) => te.max(x, [k], cond(k, i))), rows(Math.max, -Infinity, keep), 0);
    expectClose(reduceRows((x, k, i) => te.min(x, [k], cond(k, i))), rows(Math.min, Infinity, keep), 0);
    expectClose(reduceRows((x, k, i) => te.prod(x, [k], cond(k, i))), rows((s, v) => f32(s * v), 1, keep), 1e-6);
  });

  it('two axes at once', () => {
    const B = te.placeholder([3, 4, 6], 'float32', 'B');
    const b = data(3 * 4 * 6, 1);
    const r = te.reduceAxis(4, 'r');
    const k = te.reduceAxis(6, 'k');
    const C = te.compute([3], (i) => te.sum(B.at(i, r, k).mul(B.at(i, r, k)), [r, k]), 'C');
    const want = Float32Array.from({ length: 3 }, (_, i) => {
      let s = 0;
      for (let x = 0; x < 4; x++) for (let y = 0; y < 6; y++) s = f32(s + f32(b[i * 24 + x * 6 + y]! * b[i * 24 + x * 6 + y]!));
      return s;
    });
    expectClose(run(te.createSchedule([C]), [B, C]), want, 1e-5);
  });

  it('te.max / te.min of two values are elementwise', () => {
    const B = te.compute([M, K], (i, j) => te.max(A.at(i, j), 0.25).add(te.min(A.at(i, j), -0.25)), 'B');
    expectClose(run(te.createSchedule([B]), [A, B]), Float32Array.from(a, (v) => f32(Math.max(v, 0.25) + Math.min(v, -0.25))), 0);
  });
});

describe('reducers refuse bad axis lists', () => {
  it('names the reducer and what is wrong', () => {
    const k = te.reduceAxis(K, 'k');
    expect(() => te.sum(A.at(0, 0), [])).toThrow('te.sum: needs at least one reduce axis');
    expect(() => te.prod(A.at(0, 0), [k, k])).toThrow('te.prod: an axis is listed twice');
    expect(() => te.sum(A.at(0, 0), [1 as unknown as ReturnType<typeof te.reduceAxis>])).toThrow('te.sum: axes must be te.reduceAxis values');
    expect(() => te.max(A.at(0, 0), [undefined as unknown as ReturnType<typeof te.reduceAxis>])).toThrow('te.max: axes must be te.reduceAxis values');
  });
});
