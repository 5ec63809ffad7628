// tests/tir/passes/storage_flatten_vectors.test.ts — storageFlatten of a 2-d buffer accessed with a
// scalar row and a vector (Ramp) column, as a vectorized inner loop leaves it: the flat index is
// row·width broadcast plus the ramp, the same lanes as the access; values vs plain JS. Also
// flatIndex itself on mixed scalar/vector indices.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { flatIndex, storageFlatten } from '../../../tir/passes/storage_flatten.js';
import { interpret } from '../../../tir/interpreter.js';
import { print } from '../../../tir/printer.js';

describe('storageFlatten with vector indices', () => {
  it('flatIndex of a scalar row and a ramp column has the ramp\'s lanes', () => {
    const r = t.variable('r');
    const ix = flatIndex([t.intImm(3), t.intImm(8)], [r, t.ramp(t.intImm(4), t.intImm(1), 4)]);
    expect(ix.dtype).toBe('int32x4');
    // and a ramp row with a scalar column
    const iy = flatIndex([t.intImm(4), t.intImm(5)], [t.ramp(t.intImm(0), t.intImm(1), 4), r]);
    expect(iy.dtype).toBe('int32x4');
    // the lanes, evaluated in plain JS for r = 2: row-major offsets
    const lanes = (e: t.PrimExpr, rv: number): number[] => {
      switch (e.kind) {
        case 'IntImm': return [e.value, e.value, e.value, e.value];
        case 'Var': return [rv, rv, rv, rv];
        case 'Ramp': { const b = lanes(e.base, rv)[0]!; const s = lanes(e.stride, rv)[0]!; return [0, 1, 2, 3].map((l) => b + s * l); }
        case 'Broadcast': return lanes(e.value, rv);
        case 'BinaryOp': { const a = lanes(e.a, rv); const b = lanes(e.b, rv); return a.map((v, l) => (e.op === 'add' ? v + b[l]! : e.op === 'mul' ? v * b[l]! : NaN)); }
        default: throw new Error(`${e.kind}: ${print(e)}`);
      }
    };
    expect(lanes(ix, 2)).toEqual([20, 21, 22, 23]);
    expect(lanes(iy, 2)).toEqual([2, 7, 12, 17]);
  });

  it('a 2-d vector copy flattens and computes the plain-JS answer', () => {
    const A = t.buffer('A', [3, 8], 'float32');
    const B = t.buffer('B', [3, 8], 'float32');
    const r = t.variable('r');
    const c = t.variable('c');
    const col = t.ramp(t.mul(c, t.intImm(4)), t.intImm(1), 4);
    const body = t.forLoop(r, 0, 3, 'serial', t.forLoop(c, 0, 2, 'serial',
      t.bufferStore(B, t.add(t.bufferLoad(A, [r, col]), t.broadcast(t.cast('float32', r), 4)), [r, col])));
    const f = storageFlatten(t.primFunc('f', [A, B], body));
    expect(f.params.every((p) => p.shape.length === 1), print(f)).toBe(true);
    const a = Float32Array.from({ length: 24 }, (_, k) => k * 0.5);
    const b = new Float32Array(24);
    interpret(f, [a, b]);
    expect([...b]).toEqual([...a].map((v, k) => v + Math.floor(k / 8)));
  });
});
