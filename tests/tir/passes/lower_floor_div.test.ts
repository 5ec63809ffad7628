// tests/tir/passes/lower_floor_div.test.ts — tir.lowerFloorDiv makes floordiv/floormod truncating only
// where that cannot change a value: a dividend proven ≥ 0 (loop and let ranges) and a positive constant
// divisor. Each function is interpreted before and after the pass and compared with plain JS floor
// division, so a rewrite of a dividend that can be negative (where truncation differs) fails.

import { describe, expect, it } from 'vitest';
import { postOrderVisitExpr } from '../../../tir/functor.js';
import { interpret } from '../../../tir/interpreter.js';
import * as t from '../../../tir/nodes.js';
import { lowerFloorDiv } from '../../../tir/passes/lower_floor_div.js';

const N = 40;
const B = t.buffer('B', [N], 'int32');
const i = t.variable('i');
const c = (v: number): t.IntImm => t.intImm(v);

/** B[i - lo] = value(i) for i in [lo, lo + N). */
function loopFn(value: t.PrimExpr, lo = 0, wrap: (s: t.Stmt) => t.Stmt = (s) => s): t.PrimFunc {
  const body = t.forLoop(i, lo, N, 'serial', wrap(t.bufferStore(B, value, [t.sub(i, c(lo))])));
  return t.primFunc('f', [B], body, { argShapes: [[N]] });
}

function run(f: t.PrimFunc): number[] {
  const out = new Int32Array(N);
  interpret(f, [out]);
  return [...out];
}

function floorOps(f: t.PrimFunc): string[] {
  const ops: string[] = [];
  postOrderVisitExpr(f.body, (e) => { if (e.kind === 'BinaryOp' && /^(floor)?(div|mod)$/.test(e.op)) ops.push(e.op); });
  return ops;
}

const jsFloorDiv = (a: number, b: number): number => Math.floor(a / b);
const jsFloorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;

describe('tir.lowerFloorDiv', () => {
  it('makes a provably non-negative floordiv/floormod by a constant truncating, same values', () => {
    // (i + 3) / 7 * 100 + (i + 3) % 7, nested: floormod(floordiv(i, 3), 5) too.
    const v = t.add(t.add(t.mul(t.floordiv(t.add(i, c(3)), c(7)), c(100)), t.floormod(t.add(i, c(3)), c(7))),
      t.mul(t.floormod(t.floordiv(i, c(3)), c(5)), c(1000)));
    const f = loopFn(v);
    const g = lowerFloorDiv(f);
    expect(floorOps(f)).toEqual(['floordiv', 'floormod', 'floordiv', 'floormod']);
    expect(floorOps(g).sort()).toEqual(['div', 'div', 'mod', 'mod']);
    const want = Array.from({ length: N }, (_, k) => jsFloorDiv(k + 3, 7) * 100 + jsFloorMod(k + 3, 7) + jsFloorMod(jsFloorDiv(k, 3), 5) * 1000);
    expect(run(f)).toEqual(want);
    expect(run(g)).toEqual(want);
  });

  it('keeps floor division where the dividend can be negative or the divisor is not a positive constant', () => {
    // i − 5 < 0 for i < 5: truncation would give 0 where floor gives −1.
    const v = t.add(t.mul(t.floordiv(t.sub(i, c(5)), c(7)), c(100)), t.floormod(t.sub(i, c(5)), c(7)));
    const f = loopFn(v);
    const g = lowerFloorDiv(f);
    expect(floorOps(g)).toEqual(['floordiv', 'floormod']);
    const want = Array.from({ length: N }, (_, k) => jsFloorDiv(k - 5, 7) * 100 + jsFloorMod(k - 5, 7));
    expect(run(g)).toEqual(want);
    // A negative divisor: floor and truncation differ for a non-negative dividend too (7 / −3).
    const h = lowerFloorDiv(loopFn(t.add(t.mul(t.floordiv(i, c(-3)), c(100)), t.floormod(i, c(-3)))));
    expect(floorOps(h)).toEqual(['floordiv', 'floormod']);
    expect(run(h)).toEqual(Array.from({ length: N }, (_, k) => jsFloorDiv(k, -3) * 100 + jsFloorMod(k, -3)));
  });

  it('keeps floor division by a power of two (1, 8, 16) on a non-negative dividend: the emitters make it a shift or a mask', () => {
    // The pass's output is its contract (docs/tir.md): div by 8 would give the same values but cost a
    // division where WGSL and wasm emit `>> 3` / `& 15`; next to them, a 7 is lowered.
    const v = t.add(t.add(t.mul(t.floordiv(i, c(8)), c(1000)), t.mul(t.floormod(t.add(i, c(3)), c(16)), c(10))),
      t.add(t.floordiv(i, c(1)), t.mul(t.floordiv(i, c(7)), c(100_000))));
    const f = loopFn(v);
    const g = lowerFloorDiv(f);
    expect(floorOps(g)).toEqual(['floordiv', 'floormod', 'floordiv', 'div']);
    expect(run(g)).toEqual(Array.from({ length: N }, (_, k) => jsFloorDiv(k, 8) * 1000 + jsFloorMod(k + 3, 16) * 10 + k + jsFloorDiv(k, 7) * 100_000));
  });

  it('uses the range of a let and of a loop that starts above 0', () => {
    // i ∈ [10, 50), j = i − 10 ∈ [0, 40): floordiv(j, 6) is safe; floordiv(j − 1, 6) is not (j = 0).
    const j = t.variable('j');
    const v = t.add(t.mul(t.floordiv(j, c(6)), c(100)), t.floordiv(t.sub(j, c(1)), c(6)));
    const f = loopFn(v, 10, (s) => t.letStmt(j, t.sub(i, c(10)), s));
    const g = lowerFloorDiv(f);
    expect(floorOps(g).sort()).toEqual(['div', 'floordiv']);
    expect(run(g)).toEqual(Array.from({ length: N }, (_, k) => jsFloorDiv(k, 6) * 100 + jsFloorDiv(k - 1, 6)));
  });
});
