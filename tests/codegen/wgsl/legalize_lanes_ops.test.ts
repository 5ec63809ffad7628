// tests/codegen/wgsl/legalize_lanes_ops.test.ts — webgpu.legalizeLanes (codegen/wgsl/legalize_lanes.ts)
// slicing every kind of vector operand: a Ramp of run-time stride, and/or/not of masks, a select, a
// cast, a call, a Let of a scalar inside the vector; 8- and 6-lane stores become ≤ 4-lane pieces whose
// interpreted results equal plain JS for several strides; a Let holding a wide vector (in an expression
// or a statement) is refused; a function without wide vectors comes back as the same object.

import { describe, expect, it } from 'vitest';
import { legalizeLanes } from '../../../codegen/wgsl/legalize_lanes.js';
import { interpret } from '../../../tir/interpreter.js';
import * as T from '../../../tir/nodes.js';
import { widestLanes } from './tir_shapes.js';

const f32 = Math.fround;
const X = T.buffer('X', [128], 'float32');
const S = T.buffer('S', [1], 'int32');
const Y = T.buffer('Y', [64], 'float32');
const v = T.variable('v');
const s = T.variable('s');
const u = T.variable('u', 'float32');

const widest = widestLanes;

/**
 * Y[L·v + l] = select((x > 0 and not(x > 1)) or k < 2, float(k) + u, floor(x)) with x = X[v + s·l],
 * k = l (a stride-1 int ramp), u = X[v] bound by a Let: `lanes` lanes, v < 64 / lanes.
 */
function kernel(lanes: number): T.PrimFunc {
  const x = T.bufferLoad(X, [T.ramp(v, s, lanes)]);
  const k = T.ramp(T.intImm(0), T.intImm(1), lanes);
  const mask = T.or(T.and(T.compare('gt', x, T.broadcast(T.floatImm(0), lanes)), T.not(T.compare('gt', x, T.broadcast(T.floatImm(1), lanes)))),
    T.compare('lt', k, T.broadcast(T.intImm(2), lanes)));
  const value = T.letExpr(u, T.bufferLoad(X, [v]),
    T.select(mask, T.add(T.cast(`float32x${lanes}` as T.DataType, k), T.broadcast(u, lanes)), T.call('floor', [x])));
  const out = T.ramp(T.mul(v, T.intImm(lanes)), T.intImm(1), lanes);
  return T.primFunc(`ll${lanes}`, [X, S, Y], T.letStmt(s, T.bufferLoad(S, [T.intImm(0)]),
    T.forLoop(v, 0, Math.floor(64 / lanes), 'serial', T.bufferStore(Y, value, [out]))));
}

function want(lanes: number, st: number, xs: Float32Array): number[] {
  const y = new Array<number>(64).fill(0);
  for (let vv = 0; vv < Math.floor(64 / lanes); vv++) {
    for (let l = 0; l < lanes; l++) {
      const x = xs[vv + st * l]!;
      y[vv * lanes + l] = ((x > 0 && !(x > 1)) || l < 2) ? f32(l + xs[vv]!) : Math.floor(x);
    }
  }
  return y;
}

describe('legalizeLanes slices every operand kind', () => {
  const xs = Float32Array.from({ length: 128 }, (_, i) => ((i * 13) % 17) / 6 - 1);
  for (const lanes of [8, 6]) {
    it(`${lanes} lanes: pieces of at most 4 lanes, the same values as plain JS for strides 1, 3, 5`, () => {
      const f = kernel(lanes);
      const g = legalizeLanes(f);
      expect(widest(f.body)).toBe(lanes);
      expect(widest(g.body)).toBe(4);
      for (const st of [1, 3, 5]) {
        const y = new Float32Array(64);
        interpret(g, [xs, Int32Array.of(st), y]);
        expect(Array.from(y), `stride ${st}`).toEqual(want(lanes, st, xs));
      }
    });
  }

  it('a function with no vector wider than 4 lanes comes back as the same object', () => {
    const f = kernel(4);
    expect(legalizeLanes(f)).toBe(f);
    expect(legalizeLanes(kernel(8))).not.toBe(kernel(8));
  });

  it('a Let holding a wide vector is refused, in an expression and as a statement', () => {
    const t = T.variable('t', 'float32x8');
    const r = T.ramp(T.mul(v, T.intImm(8)), T.intImm(1), 8);
    const inExpr = T.primFunc('letwide', [X, S, Y], T.forLoop(v, 0, 8, 'serial',
      T.bufferStore(Y, T.letExpr(t, T.bufferLoad(X, [r]), T.add(t, T.broadcast(T.floatImm(1), 8))), [r])));
    expect(() => legalizeLanes(inExpr)).toThrow(/webgpu: cannot split a 8-lane Let into WGSL vectors of at most 4 lanes/);
    const asStmt = T.primFunc('letstmt', [X, S, Y], T.forLoop(v, 0, 8, 'serial',
      T.letStmt(t, T.bufferLoad(X, [r]), T.bufferStore(Y, T.add(t, T.broadcast(T.floatImm(1), 8)), [r]))));
    expect(() => legalizeLanes(asStmt)).toThrow(/webgpu: let t holds a 8-lane vector; WGSL vectors have at most 4 lanes/);
  });
});
