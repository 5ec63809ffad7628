// tests/tir/functor_cases.test.ts — visitor/mutator cases found by mutation testing (fresh sample,
// seed 52): the visitor goes under a logical not, and the mutator rewrites inside an evaluated
// expression (substitution into `Evaluate(call(…))`), keeping unchanged nodes as they are.
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { postOrderVisitExpr, substituteStmt, usedVars } from '../../tir/functor.js';
import { c, expectIR, vars } from './helpers.js';

const A = t.buffer('A', [16], 'int32');

describe('functor (mutation-testing cases)', () => {
  it('visits the operand of a logical not: its loads and variables are seen', () => {
    const [x, y] = vars('x', 'y') as [t.Var, t.Var];
    const e = t.not(t.lt(t.bufferLoad(A, [x]), y));
    const kinds: string[] = [];
    postOrderVisitExpr(e, (n) => kinds.push(n.kind));
    // Post order, written out by hand: x, A[x], y, A[x] < y, !(…)
    expect(kinds).toEqual(['Var', 'BufferLoad', 'Var', 'CompareOp', 'Not']);
    expect(usedVars(t.evaluate(e))).toEqual(new Set([x, y]));
    // Under a statement too: an if whose condition is negated.
    const seen: string[] = [];
    postOrderVisitExpr(t.ifThenElse(t.not(t.eq(y, c(0))), t.evaluate(c(0))), (n) => seen.push(n.kind));
    expect(seen).toEqual(['Var', 'IntImm', 'CompareOp', 'Not', 'IntImm']);
  });

  it('substitutes inside an evaluated call, and returns an unchanged Evaluate as the same object', () => {
    const [x, y] = vars('x', 'y') as [t.Var, t.Var];
    const call = (v: t.PrimExpr): t.Stmt => t.evaluate(t.call('abs', [t.add(v, c(1))]));
    const before = t.seq([call(x), t.bufferStore(A, x, [c(0)])]);
    const after = substituteStmt(before, new Map([[x, t.mul(y, c(2))]]));
    expectIR(after, t.seq([call(t.mul(y, c(2))), t.bufferStore(A, t.mul(y, c(2)), [c(0)])]));
    expect(usedVars(after)).toEqual(new Set([y]));
    // A map that does not touch the evaluated value leaves the statement itself in place.
    const kept = call(y);
    const again = substituteStmt(t.seq([kept, t.bufferStore(A, x, [c(0)])]), new Map([[x, c(3)]]));
    expect(again.kind === 'SeqStmt' && again.seq[0]).toBe(kept);
  });
});
