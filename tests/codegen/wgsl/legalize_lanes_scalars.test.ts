// tests/codegen/wgsl/legalize_lanes_scalars.test.ts — webgpu.legalizeLanes on wide vectors holding
// *scalar* operands, which line coverage showed no test reached (session 11): a `tir.if_then_else`
// and a `select` with a scalar condition on 8- and 6-lane arms (the condition must stay whole in
// every piece, the arms sliced), interpreted before and after the pass against plain JS; a node the
// pass cannot slice (an 8-lane variable) is refused naming its kind and lanes.

import { describe, expect, it } from 'vitest';
import { legalizeLanes } from '../../../codegen/wgsl/legalize_lanes.js';
import { StmtExprVisitor } from '../../../tir/functor.js';
import { interpret } from '../../../tir/interpreter.js';
import * as T from '../../../tir/nodes.js';
import { widestLanes } from './tir_shapes.js';

const X = T.buffer('X', [64], 'float32');
const Y = T.buffer('Y', [64], 'float32');
const v = T.variable('v');

const widest = widestLanes;

/**
 * Y[L·v + l] = if_then_else(v < 2, X[L·v + l], X[3l]·2) + select(v == 1, 10 + l, −l)
 * for v < 4: both conditions scalar, the arms `lanes` wide.
 */
function kernel(lanes: number): T.PrimFunc {
  const vt = (e: string): T.DataType => `${e}x${lanes}` as T.DataType;
  const base = T.mul(v, T.intImm(lanes));
  const ite = T.ifThenElseExpr(T.lt(v, T.intImm(2)), T.bufferLoad(X, [T.ramp(base, T.intImm(1), lanes)]),
    T.mul(T.bufferLoad(X, [T.ramp(T.intImm(0), T.intImm(3), lanes)]), T.broadcast(T.floatImm(2), lanes)));
  const sel = T.select(T.eq(v, T.intImm(1)), T.cast(vt('float32'), T.ramp(T.intImm(10), T.intImm(1), lanes)),
    T.cast(vt('float32'), T.ramp(T.intImm(0), T.intImm(-1), lanes)));
  return T.primFunc(`sc${lanes}`, [X, Y], T.forLoop(v, 0, 4, 'serial', T.bufferStore(Y, T.add(ite, sel), [T.ramp(base, T.intImm(1), lanes)])));
}

function want(lanes: number, xs: Float32Array): number[] {
  const y = new Array<number>(64).fill(0);
  for (let vv = 0; vv < 4; vv++) {
    for (let l = 0; l < lanes; l++) {
      const a = vv < 2 ? xs[vv * lanes + l]! : Math.fround(xs[3 * l]! * 2);
      y[vv * lanes + l] = Math.fround(a + (vv === 1 ? 10 + l : -l));
    }
  }
  return y;
}

describe('legalizeLanes with scalar conditions in wide vectors', () => {
  const xs = Float32Array.from({ length: 64 }, (_, i) => ((i * 7) % 23) - 11 + 0.25);

  for (const lanes of [8, 6]) {
    it(`${lanes} lanes: pieces of ≤ 4 lanes, the same values as plain JS before and after`, () => {
      const f = kernel(lanes);
      const g = legalizeLanes(f);
      expect(widest(f.body)).toBe(lanes);
      expect(widest(g.body)).toBe(4);
      for (const fn of [f, g]) {
        const y = new Float32Array(64);
        interpret(fn, [Float32Array.from(xs), y]);
        expect(Array.from(y)).toEqual(want(lanes, xs));
      }
    });
  }

  it('keeps the scalar condition itself in every piece', () => {
    const g = legalizeLanes(kernel(8));
    const conds: T.PrimExpr[] = [];
    class V extends StmtExprVisitor {
      override visitExpr(e: T.PrimExpr): void {
        if (e.kind === 'Call' && e.op === 'tir.if_then_else') conds.push(e.args[0]!);
        if (e.kind === 'Select') conds.push(e.condition);
        super.visitExpr(e);
      }
    }
    new V().visitStmt(g.body);
    expect(conds).toHaveLength(4); // two pieces × (if_then_else, select)
    for (const c of conds) expect(T.lanesOf(c.dtype)).toBe(1);
  });

  it('refuses a wide node it cannot slice, naming its lanes and kind', () => {
    const w = T.variable('w', 'float32x8');
    const f = T.primFunc('wide_var', [X, Y], T.letStmt(T.variable('q'), T.intImm(0),
      T.bufferStore(Y, w, [T.ramp(T.intImm(0), T.intImm(1), 8)])));
    expect(() => legalizeLanes(f)).toThrow('webgpu: cannot split a 8-lane Var into WGSL vectors of at most 4 lanes');
  });
});
