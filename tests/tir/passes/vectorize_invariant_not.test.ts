// tests/tir/passes/vectorize_invariant_not.test.ts — vectorizeLoop leaves an expression that does
// not depend on the loop as the very same object, a `not` included (it is broadcast once, not
// rebuilt), and widens a `not` of a per-lane condition; values vs plain JS. The fresh seed-1101
// sample found `a === e.a ? e : not(a)` → always `not(a)` (vectorize_loop.ts:78) unseen.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { vectorizeLoop } from '../../../tir/passes/index.js';

const N = 4;
const B = t.buffer('B', [N], 'float32');
const F = t.buffer('F', [1], 'float32');
const i = t.variable('i');
const f0 = t.bufferLoad(F, [t.intImm(0)]);

function vec(e: t.PrimExpr): t.PrimFunc {
  return vectorizeLoop(t.primFunc('f', [B, F], t.forLoop(i, 0, N, 'vectorized', t.bufferStore(B, e, [i]))));
}

function run(g: t.PrimFunc, fv: number): number[] {
  const b = new Float32Array(N);
  interpret(g, [b, Float32Array.of(fv)]);
  return [...b];
}

describe('vectorizeLoop: not', () => {
  it('an invariant select on a not is broadcast as the same object', () => {
    const e = t.select(t.not(t.gt(f0, t.floatImm(0))), t.floatImm(1), t.floatImm(2));
    const g = vec(e);
    const v = (g.body as t.BufferStore).value as t.Broadcast;
    expect(v.kind).toBe('Broadcast');
    expect(v.value).toBe(e);
    expect(run(g, 1)).toEqual([2, 2, 2, 2]);
    expect(run(g, -1)).toEqual([1, 1, 1, 1]);
  });

  it('a not of a per-lane condition is widened', () => {
    const g = vec(t.select(t.not(t.lt(i, t.intImm(2))), f0, t.floatImm(7)));
    expect((g.body as t.BufferStore).value.dtype).toBe(`float32x${N}`);
    expect(run(g, 5)).toEqual([7, 7, 5, 5]);
  });
});
