// tests/tir/functor_loop_bounds.test.ts — the mutator rebuilds a For when only its min or only
// its extent changes (substituting a size variable that the body does not use), keeps the body
// and loop variable, and returns an unchanged loop as the same object. The substituted loop is
// run and compared with plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { substituteStmt } from '../../tir/functor.js';
import { interpret } from '../../tir/interpreter.js';
import { print } from '../../tir/printer.js';

const B = t.buffer('B', [12], 'int32');
const i = t.variable('i');
const n = t.variable('n');
const m = t.variable('m');
const body = t.bufferStore(B, t.mul(i, t.intImm(3)), [i]);

describe('substituteStmt on loop bounds', () => {
  it('only the extent changes', () => {
    const loop = t.forLoop(i, 2, n, 'serial', body);
    const s = substituteStmt(loop, new Map<t.Var, t.PrimExpr>([[n, t.intImm(5)]])) as t.For;
    expect(s).not.toBe(loop);
    expect(s.extent).toEqual(t.intImm(5));
    expect(s.min).toBe(loop.min);
    expect(s.body).toBe(body);
    expect(s.loopVar).toBe(i);
    const b = new Int32Array(12).fill(-1);
    interpret(t.primFunc('f', [B], s), [b]);
    expect([...b]).toEqual(Array.from({ length: 12 }, (_, k) => (k >= 2 && k < 7 ? 3 * k : -1)));
  });

  it('only the min changes', () => {
    const loop = t.forLoop(i, m, 4, 'parallel', body);
    const s = substituteStmt(loop, new Map<t.Var, t.PrimExpr>([[m, t.intImm(6)]])) as t.For;
    expect(s).not.toBe(loop);
    expect(print(s.min)).toBe('6');
    expect(s.extent).toBe(loop.extent);
    expect(s.forKind).toBe('parallel');
    const b = new Int32Array(12).fill(-1);
    interpret(t.primFunc('f', [B], s), [b]);
    expect([...b]).toEqual(Array.from({ length: 12 }, (_, k) => (k >= 6 && k < 10 ? 3 * k : -1)));
  });

  it('nothing changes: the same loop', () => {
    const loop = t.forLoop(i, m, n, 'serial', body);
    expect(substituteStmt(loop, new Map<t.Var, t.PrimExpr>([[t.variable('z'), t.intImm(1)]]))).toBe(loop);
  });
});
