// tests/tir/functor_every_kind.test.ts — the visitor and the mutator on every expression kind:
// postOrderVisitExpr's order under a Cast and every other node, substitution under Not and Cast
// (rebuilt with the same dtype, unchanged nodes returned as the same object), and a clear error
// naming an unknown node kind instead of silently skipping it. Expected orders are written by hand.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { postOrderVisitExpr, substituteExpr, substituteStmt, usedVars } from '../../tir/functor.js';
import { print } from '../../tir/printer.js';

const A = t.buffer('A', [16], 'int32');
const x = t.variable('x');
const y = t.variable('y');

function kinds(e: t.PrimExpr | t.Stmt): string[] {
  const out: string[] = [];
  postOrderVisitExpr(e, (n) => out.push(n.kind === 'Var' ? `Var:${n.name}` : n.kind));
  return out;
}

describe('visitor: post order under every kind', () => {
  it('goes under a Cast (its loads and variables are seen)', () => {
    const e = t.cast('float32', t.bufferLoad(A, [x]));
    expect(kinds(e)).toEqual(['Var:x', 'BufferLoad', 'Cast']);
    expect(usedVars(t.evaluate(t.cast('float32', y)))).toEqual(new Set([y]));
  });

  it('visits Select, Call, Ramp, Broadcast and Let in operand order', () => {
    const e = t.select(t.lt(x, y), t.call('abs', [x]), t.letExpr(y, t.add(x, t.intImm(1)), y));
    expect(kinds(e)).toEqual(['Var:x', 'Var:y', 'CompareOp', 'Var:x', 'Call', 'Var:x', 'IntImm', 'BinaryOp', 'Var:y', 'Let', 'Select']);
    const v = t.add(t.ramp(x, t.intImm(2), 4), t.broadcast(y, 4));
    expect(kinds(v)).toEqual(['Var:x', 'IntImm', 'Ramp', 'Var:y', 'Broadcast', 'BinaryOp']);
  });

  it('refuses an unknown expression or statement kind, naming it', () => {
    const bogus = { kind: 'Frobnicate', dtype: 'int32' } as unknown as t.PrimExpr;
    expect(() => kinds(t.add(x, bogus))).toThrow('unexpected expression: "Frobnicate"');
    const bogusStmt = { kind: 'Teleport' } as unknown as t.Stmt;
    expect(() => kinds(t.seq([t.evaluate(x), bogusStmt]))).toThrow('unexpected statement: "Teleport"');
    expect(() => substituteExpr(t.add(x, bogus), new Map([[x, y]]))).toThrow('unexpected expression: "Frobnicate"');
    expect(() => substituteStmt(t.seq([t.evaluate(x), bogusStmt]), new Map([[x, y]]))).toThrow('unexpected statement: "Teleport"');
  });
});

describe('mutator: substitution under Not and Cast', () => {
  it('rewrites inside a Not, keeping its dtype; the rest stays the same object', () => {
    const b = t.variable('b', 'bool');
    const e = t.not(t.and(b, t.lt(x, t.intImm(3))));
    const s = substituteExpr(e, new Map<t.Var, t.PrimExpr>([[x, t.mul(y, t.intImm(2))]]));
    expect(s.kind).toBe('Not');
    expect(s.dtype).toBe('bool');
    expect(print(s)).toBe(print(t.not(t.and(b, t.lt(t.mul(y, t.intImm(2)), t.intImm(3))))));
    expect((s as t.Not).a).not.toBe(e.a);
    expect(((s as t.Not).a as t.LogicalOp).a).toBe(b);
    expect(substituteExpr(e, new Map([[y, x]]))).toBe(e);
  });

  it('rewrites inside a Cast, keeping the cast dtype', () => {
    const e = t.cast('float16', t.add(x, t.intImm(1)));
    const s = substituteExpr(e, new Map<t.Var, t.PrimExpr>([[x, t.intImm(4)]]));
    expect(s.kind).toBe('Cast');
    expect(s.dtype).toBe('float16');
    expect(print(s)).toBe(print(t.cast('float16', t.add(t.intImm(4), t.intImm(1)))));
    expect(substituteExpr(e, new Map([[y, x]]))).toBe(e);
    // inside a statement as well
    const st = t.bufferStore(t.buffer('F', [2], 'float16'), e, [t.intImm(0)]);
    const st2 = substituteStmt(st, new Map<t.Var, t.PrimExpr>([[x, y]])) as t.BufferStore;
    expect(print(st2.value)).toBe(print(t.cast('float16', t.add(y, t.intImm(1)))));
    expect(substituteStmt(st, new Map([[y, x]]))).toBe(st);
  });
});
