// tests/tir/passes/vectorize_invariant.test.ts — a value that does not depend on the vectorized
// loop stays scalar and is broadcast once (as TVM's vectorizer does): `B[i] = exp(float(n))` over 4
// lanes stores broadcast(exp(float(n))), one exp, not exp of a broadcast; also through a cast of a
// cast and a lazy if_then_else with a scalar condition. Values against plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { vectorizeLoop } from '../../../tir/passes/vectorize_loop.js';
import { interpret } from '../../../tir/interpreter.js';
import { print } from '../../../tir/printer.js';

const B = t.buffer('B', [12], 'float32');
const n = t.variable('n');
const i = t.variable('i');

/** for n in [0, 3): for i in [0, 4) vectorized: B[4n + i] = value */
function kernel(value: t.PrimExpr): t.PrimFunc {
  return t.primFunc('f', [B], t.forLoop(n, 0, 3, 'serial',
    t.forLoop(i, 0, 4, 'vectorized', t.bufferStore(B, value, [t.add(t.mul(n, t.intImm(4)), i)]))));
}

function storedValue(f: t.PrimFunc): t.PrimExpr {
  let s: t.Stmt = f.body;
  while (s.kind === 'For') s = s.body;
  expect(s.kind).toBe('BufferStore');
  return (s as t.BufferStore).value;
}

describe('vectorizeLoop keeps loop-invariant values scalar', () => {
  const cases: [string, t.PrimExpr, (nv: number) => number][] = [
    ['exp(float(n))', t.call('exp', [t.cast('float32', n)], 'float32'), (nv) => Math.exp(nv)],
    ['sqrt(float(int(float(n + 1))))', t.call('sqrt', [t.cast('float32', t.cast('int32', t.cast('float32', t.add(n, t.intImm(1)))))], 'float32'), (nv) => Math.sqrt(nv + 1)],
    ['if_then_else(bool(n), 2, float(n))', t.call('tir.if_then_else', [t.cast('bool', n), t.floatImm(2), t.cast('float32', n)], 'float32'), (nv) => (nv !== 0 ? 2 : nv)],
  ];
  it.each(cases)('%s is computed once and broadcast', (_, value, js) => {
    const f = vectorizeLoop(kernel(value));
    const v = storedValue(f);
    expect(v.kind, print(f)).toBe('Broadcast');
    expect((v as t.Broadcast).value.dtype).toBe('float32');
    const b = new Float32Array(12);
    interpret(f, [b]);
    for (let k = 0; k < 12; k++) expect(b[k]).toBeCloseTo(js(Math.floor(k / 4)), 5);
  });
});
