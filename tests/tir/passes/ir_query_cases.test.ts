// tests/tir/passes/ir_query_cases.test.ts — exprUses / stmtUsesVar with the variable in every
// operand slot of every node kind (and in none), and forEachSelect's order and reach. The
// expected answers come from how each case is built: the variable is placed in exactly one slot.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { exprUses, forEachSelect, stmtUsesVar } from '../../../tir/passes/ir_query.js';
import { c } from '../helpers.js';

const A = t.buffer('A', [8, 8], 'float32');
const f32 = (e: t.PrimExpr): t.PrimExpr => t.cast('float32', e);
const pos = (e: t.PrimExpr): t.PrimExpr => t.lt(e, c(3));
const tensor = { name: 'P', shape: [c(8), c(8)], dtype: 'float32' as const };

/** Each case puts `x` (an int32 expression) into one slot of one node kind; the rest is constant. */
const exprSlots: [string, (x: t.PrimExpr) => t.PrimExpr][] = [
  ['Var', (x) => x],
  ['BinaryOp a', (x) => t.sub(x, c(1))],
  ['BinaryOp b', (x) => t.sub(c(1), x)],
  ['CompareOp a', (x) => t.lt(x, c(1))],
  ['CompareOp b', (x) => t.lt(c(1), x)],
  ['LogicalOp a', (x) => t.and(pos(x), t.lt(c(0), c(1)))],
  ['LogicalOp b', (x) => t.or(t.lt(c(0), c(1)), pos(x))],
  ['Not', (x) => t.not(pos(x))],
  ['Select condition', (x) => t.select(pos(x), c(1), c(2))],
  ['Select true value', (x) => t.select(pos(c(0)), x, c(2))],
  ['Select false value', (x) => t.select(pos(c(0)), c(1), x)],
  ['Cast', (x) => f32(x)],
  ['Broadcast', (x) => t.broadcast(x, 4)],
  ['Call first argument', (x) => t.call('fma', [f32(x), t.floatImm(1), t.floatImm(2)])],
  ['Call last argument', (x) => t.call('fma', [t.floatImm(1), t.floatImm(2), f32(x)])],
  ['if_then_else else arm', (x) => t.ifThenElseExpr(pos(c(0)), c(1), x)],
  ['Ramp base', (x) => t.ramp(x, c(1), 4)],
  ['Ramp stride', (x) => t.ramp(c(0), x, 4)],
  ['Let value', (x) => { const v = t.variable('lv'); return t.letExpr(v, x, t.add(v, c(1))); }],
  ['Let body', (x) => { const v = t.variable('lv'); return t.letExpr(v, c(2), t.add(v, x)); }],
  ['BufferLoad first index', (x) => t.bufferLoad(A, [x, c(0)])],
  ['BufferLoad second index', (x) => t.bufferLoad(A, [c(0), x])],
  ['ProducerLoad second index', (x) => t.producerLoad(tensor, [c(0), x])],
  ['Reduce source', (x) => t.reduce('sum', f32(x), [t.iterVar(t.range(0, 4), 'k', 'reduce')])],
  ['Reduce condition', (x) => t.reduce('sum', t.floatImm(1), [t.iterVar(t.range(0, 4), 'k', 'reduce')], pos(x))],
  ['Reduce axis min', (x) => t.reduce('sum', t.floatImm(1), [t.iterVar(t.range(0, 4), 'k', 'reduce'), t.iterVar(t.range(x, 4), 'r', 'reduce')])],
  ['Reduce axis extent', (x) => t.reduce('sum', t.floatImm(1), [t.iterVar(t.range(0, 4), 'k', 'reduce'), t.iterVar(t.range(0, x), 'r', 'reduce')])],
];

describe('exprUses', () => {
  const v = t.variable('v');
  const other = t.variable('other');
  const isV = (x: t.Var): boolean => x === v;
  for (const [name, slot] of exprSlots) {
    it(`finds the variable as ${name}, and only that variable`, () => {
      expect(exprUses(slot(v), isV)).toBe(true);
      expect(exprUses(slot(t.add(other, c(1))), isV)).toBe(false);
      expect(exprUses(slot(c(5)), isV)).toBe(false);
    });
  }

  it('constants use nothing; the predicate decides which variables count', () => {
    expect(exprUses(c(3), () => true)).toBe(false);
    expect(exprUses(t.floatImm(3), () => true)).toBe(false);
    expect(exprUses(t.add(v, other), (x) => x === other)).toBe(true);
    expect(exprUses(t.add(v, other), (x) => x.name === 'none')).toBe(false);
  });

  it('stops at the first variable the predicate accepts', () => {
    const seen: string[] = [];
    const hit = (x: t.Var): boolean => { seen.push(x.name); return x === v; };
    const w = t.variable('w');
    expect(exprUses(t.add(t.mul(v, c(2)), w), hit)).toBe(true);
    expect(seen).toEqual(['v']);
  });
});

describe('stmtUsesVar', () => {
  const v = t.variable('v');
  const i = t.variable('i');
  const other = t.variable('other');
  const store = (idx: t.PrimExpr, val: t.PrimExpr = t.floatImm(1)): t.Stmt => t.bufferStore(A, val, [c(0), idx]);
  const quiet = store(c(1));
  const stmtSlots: [string, (x: t.PrimExpr) => t.Stmt][] = [
    ['For min', (x) => t.forLoop(i, x, 4, 'serial', quiet)],
    ['For extent', (x) => t.forLoop(i, 0, x, 'serial', quiet)],
    ['For body', (x) => t.forLoop(i, 0, 4, 'serial', store(x))],
    ['LetStmt value', (x) => t.letStmt(t.variable('lv'), x, quiet)],
    ['LetStmt body', (x) => t.letStmt(t.variable('lv'), c(1), store(x))],
    ['IfThenElse condition', (x) => t.ifThenElse(pos(x), quiet, quiet)],
    ['IfThenElse then', (x) => t.ifThenElse(pos(c(0)), store(x), quiet)],
    ['IfThenElse then (no else)', (x) => t.ifThenElse(pos(c(0)), store(x))],
    ['IfThenElse else', (x) => t.ifThenElse(pos(c(0)), quiet, store(x))],
    ['SeqStmt first', (x) => t.seq([store(x), quiet])],
    ['SeqStmt last', (x) => t.seq([quiet, quiet, store(x)])],
    ['BufferStore value', (x) => store(c(2), f32(x))],
    ['BufferStore first index', (x) => t.bufferStore(A, t.floatImm(1), [x, c(0)])],
    ['BufferStore second index', (x) => store(x)],
    ['Allocate first dimension', (x) => t.allocate(t.buffer('T', [x, 4], 'float32', 'local'), quiet)],
    ['Allocate second dimension', (x) => t.allocate(t.buffer('T', [4, x], 'float32', 'local'), quiet)],
    ['Allocate body', (x) => t.allocate(t.buffer('T', [4], 'float32', 'local'), store(x))],
    ['Evaluate', (x) => t.evaluate(x)],
  ];
  for (const [name, slot] of stmtSlots) {
    it(`finds the variable as ${name}, and only that variable`, () => {
      expect(stmtUsesVar(slot(v), v)).toBe(true);
      expect(stmtUsesVar(slot(t.add(other, c(1))), v)).toBe(false);
      expect(stmtUsesVar(slot(c(2)), v)).toBe(false);
    });
  }

  it('an if without else that does not use the variable', () => {
    expect(stmtUsesVar(t.ifThenElse(pos(other), quiet), v)).toBe(false);
  });
});

describe('forEachSelect', () => {
  const x = t.variable('x');
  it('reports each Select before the ones inside it, arms and condition included', () => {
    const inCond = t.select(t.lt(x, c(1)), t.lt(x, c(5)), t.lt(x, c(6)));
    const inTrue = t.select(t.lt(x, c(2)), x, c(0));
    const inFalse = t.select(t.lt(x, c(3)), c(1), x);
    const outer = t.select(inCond, inTrue, inFalse);
    const seen: t.Select[] = [];
    forEachSelect(t.add(outer, c(1)), (s) => seen.push(s));
    expect(seen).toEqual([outer, inCond, inTrue, inFalse]);
    expect(seen[0]).toBe(outer);
  });

  it('reports a tir.if_then_else as a Select of its three arguments, and what is inside it', () => {
    const inner = t.select(t.lt(x, c(2)), x, c(0));
    const ite = t.ifThenElseExpr(t.lt(x, c(4)), inner, c(7));
    const seen: t.Select[] = [];
    forEachSelect(ite, (s) => seen.push(s));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ kind: 'Select', condition: ite.args[0], trueValue: inner, falseValue: ite.args[2] });
    expect(seen[1]).toBe(inner);
    // other calls are not Selects
    const n: t.Select[] = [];
    forEachSelect(t.call('fma', [t.floatImm(1), t.floatImm(2), t.floatImm(3)]), (s) => n.push(s));
    expect(n).toEqual([]);
  });

  it('reports Selects in a reduction\'s source and condition, not in its axis domains', () => {
    const inDom = t.select(t.lt(x, c(1)), c(2), c(3));
    const inSrc = t.select(t.lt(x, c(2)), t.floatImm(1), t.floatImm(2));
    const inCond = t.select(t.lt(x, c(3)), t.lt(x, c(4)), t.lt(x, c(5)));
    const red = t.reduce('sum', inSrc, [t.iterVar(t.range(inDom, 4), 'k', 'reduce')], inCond);
    const seen: t.Select[] = [];
    forEachSelect(red, (s) => seen.push(s));
    expect(seen).toContain(inSrc);
    expect(seen).toContain(inCond);
    expect(seen).not.toContain(inDom);
    expect(seen).toHaveLength(2);
  });
});
