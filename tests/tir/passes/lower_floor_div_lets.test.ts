// tests/tir/passes/lower_floor_div_lets.test.ts — lowerFloorDiv with let-bound dividends: a let
// whose value the analyzer cannot bound (a load) or bounds on one side only leaves floordiv alone
// (and does not crash); a let's whole range counts, its maximum too (floordiv(8 − x, 3) with
// x ∈ [−3, 9] can be negative); and a let that rebinds a loop's variable to an unbounded value
// hides the loop's range (the loop's i ≥ 0 says nothing about the new i). Every function is run
// before and after the pass and compared with plain-JS floor division.

import { describe, expect, it } from 'vitest';
import { postOrderVisitExpr } from '../../../tir/functor.js';
import { interpret } from '../../../tir/interpreter.js';
import * as t from '../../../tir/nodes.js';
import { lowerFloorDiv } from '../../../tir/passes/lower_floor_div.js';

const N = 13;
const A = t.buffer('A', [N], 'int32');
const B = t.buffer('B', [N], 'int32');
const i = t.variable('i');
const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;
const a0 = Int32Array.from({ length: N }, (_, k) => (k * 5) % 11 - 6);

function ops(f: t.PrimFunc): string[] {
  const out: string[] = [];
  postOrderVisitExpr(f.body, (e) => { if (e.kind === 'BinaryOp' && ['div', 'mod', 'floordiv', 'floormod'].includes(e.op)) out.push(e.op); });
  return out;
}

function check(value: (iv: t.Var) => t.PrimExpr, js: (k: number) => number, wantOps: string[]): void {
  const f = t.primFunc('f', [A, B], t.forLoop(i, 0, N, 'serial', t.bufferStore(B, value(i), [i])));
  const g = lowerFloorDiv(f);
  expect(ops(g)).toEqual(wantOps);
  for (const h of [f, g]) {
    const b = new Int32Array(N);
    interpret(h, [a0.slice(), b]);
    expect([...b]).toEqual(Array.from({ length: N }, (_, k) => js(k)));
  }
}

describe('lowerFloorDiv: let-bound dividends', () => {
  it('an unbounded let value (a load) keeps floordiv', () => {
    const x = t.variable('x');
    check(() => t.letExpr(x, t.bufferLoad(A, [i]), t.floordiv(x, t.intImm(3))), (k) => floorDiv(a0[k]!, 3), ['floordiv']);
  });

  it('a let value bounded on one side only is treated as unbounded (a Range has two ends): no crash, kept', () => {
    const x = t.variable('x');
    check(() => t.letExpr(x, t.max(t.bufferLoad(A, [i]), t.intImm(0)), t.floormod(x, t.intImm(3))), (k) => floorMod(Math.max(a0[k]!, 0), 3), ['floormod']);
    // bounded above only: min(A[i], 5) may be negative
    const y = t.variable('y');
    check(() => t.letExpr(y, t.min(t.bufferLoad(A, [i]), t.intImm(5)), t.floormod(y, t.intImm(3))), (k) => floorMod(Math.min(a0[k]!, 5), 3), ['floormod']);
  });

  it('the let range\'s maximum counts: floordiv(8 − x, 3), x = i − 3 ∈ [−3, 9], stays floordiv', () => {
    const x = t.variable('x');
    check(() => t.letExpr(x, t.sub(i, t.intImm(3)), t.floordiv(t.sub(t.intImm(8), x), t.intImm(3))), (k) => floorDiv(8 - (k - 3), 3), ['floordiv']);
    // with x ∈ [−3, 7] (i < 11) it is ≥ 1: lowered
    const f = t.primFunc('f', [A, B], t.forLoop(i, 0, 11, 'serial', t.bufferStore(B,
      t.letExpr(x, t.sub(i, t.intImm(3)), t.floordiv(t.sub(t.intImm(8), x), t.intImm(3))), [i])));
    expect(ops(lowerFloorDiv(f))).toEqual(['div']);
  });

  it('a let rebinding the loop variable to an unbounded value hides the loop range', () => {
    // for i in [0, 13): B[i] = let i = A[i] in floordiv(i, 3)   (the inner i may be negative)
    const f = t.primFunc('f', [A, B], t.forLoop(i, 0, N, 'serial', t.bufferStore(B,
      t.letExpr(i, t.bufferLoad(A, [i]), t.floordiv(i, t.intImm(3))), [i])));
    const g = lowerFloorDiv(f);
    expect(ops(g)).toEqual(['floordiv']);
    const b = new Int32Array(N);
    interpret(g, [a0.slice(), b]);
    expect([...b]).toEqual([...a0].map((v) => floorDiv(v, 3)));
    // the same as a LetStmt
    const s = t.primFunc('s', [A, B], t.forLoop(i, 0, N, 'serial',
      t.letStmt(i, t.bufferLoad(A, [i]), t.bufferStore(B, t.floormod(i, t.intImm(3)), [t.floormod(t.add(i, t.intImm(N * 10)), t.intImm(N))]))));
    expect(ops(lowerFloorDiv(s))).toEqual(['floormod', 'floormod']);
  });
});
