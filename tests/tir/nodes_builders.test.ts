// tests/tir/nodes_builders.test.ts — the shorthand builders give exactly the node they name: every
// comparison (eq, ne, lt, le, gt, ge) a bool CompareOp with its op and operands in order, and/or a
// LogicalOp, warp_shuffle a Call; each comparison, run by the interpreter, agrees with the JS operator.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';

const x = t.variable('x');
const y = t.variable('y');

describe('comparison builders', () => {
  const table: [string, (a: t.PrimExpr, b: t.PrimExpr) => t.CompareOp, t.CompareOpName, (a: number, b: number) => boolean][] = [
    ['eq', t.eq, 'eq', (a, b) => a === b], ['ne', t.ne, 'ne', (a, b) => a !== b],
    ['lt', t.lt, 'lt', (a, b) => a < b], ['le', t.le, 'le', (a, b) => a <= b],
    ['gt', t.gt, 'gt', (a, b) => a > b], ['ge', t.ge, 'ge', (a, b) => a >= b],
  ];
  it.each(table)('%s builds CompareOp %s and computes the JS operator', (_, build, op, js) => {
    const c = build(x, y);
    expect(c).toEqual({ kind: 'CompareOp', dtype: 'bool', op, a: x, b: y });
    const A = t.buffer('A', [9], 'int32');
    const B = t.buffer('B', [9], 'int32');
    const O = t.buffer('O', [9], 'int32');
    const i = t.variable('i');
    const f = t.primFunc('f', [A, B, O], t.forLoop(i, 0, 9, 'serial',
      t.bufferStore(O, t.select(build(t.bufferLoad(A, [i]), t.bufferLoad(B, [i])), t.intImm(1), t.intImm(0)), [i])));
    const a = Int32Array.of(-1, 0, 1, 2, 2, 3, -5, 7, 0);
    const b = Int32Array.of(0, 0, 0, 2, 3, 2, -5, -7, 1);
    const o = new Int32Array(9);
    interpret(f, [a, b, o]);
    expect([...o]).toEqual([...a].map((v, k) => (js(v, b[k]!) ? 1 : 0)));
  });
});

describe('logical builders and warp_shuffle', () => {
  it('and / or give a LogicalOp with their op; not a Not', () => {
    const p = t.lt(x, y);
    const q = t.ge(x, t.intImm(0));
    expect(t.and(p, q)).toEqual({ kind: 'LogicalOp', dtype: 'bool', op: 'and', a: p, b: q });
    expect(t.or(p, q)).toEqual({ kind: 'LogicalOp', dtype: 'bool', op: 'or', a: p, b: q });
    expect(t.not(p)).toEqual({ kind: 'Not', dtype: 'bool', a: p });
  });

  it('warp_shuffle is a Call of tir.warp_shuffle', () => {
    const v = t.variable('v', 'float32');
    expect(t.call('tir.warp_shuffle', [v, x])).toEqual({ kind: 'Call', dtype: 'float32', op: 'tir.warp_shuffle', args: [v, x] });
  });
});
