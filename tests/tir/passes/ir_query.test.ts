// tests/tir/passes/ir_query.test.ts — the fast variable-use and Select queries.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { exprUses, forEachSelect, stmtUsesVar } from '../../../tir/passes/ir_query.js';
import { c, vars } from '../helpers.js';

describe('ir queries', () => {
  it('finds a variable in expressions and statements, wherever it is used', () => {
    const [i, j, k] = vars('i', 'j', 'k') as [t.Var, t.Var, t.Var];
    const A = t.buffer('A', [8], 'float32');
    expect(exprUses(t.add(t.mul(i, c(2)), j), (v) => v === j)).toBe(true);
    expect(exprUses(t.bufferLoad(A, [i]), (v) => v === k)).toBe(false);
    const s = t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(k, c(3)), t.bufferStore(A, t.floatImm(0), [i])));
    expect(stmtUsesVar(s, k)).toBe(true);
    expect(stmtUsesVar(s, j)).toBe(false);
    const T = t.buffer('T', [j], 'float32', 'local');
    expect(stmtUsesVar(t.allocate(T, t.noOp()), j)).toBe(true);
  });

  it('visits every Select, nested ones included', () => {
    const [x] = vars('x') as [t.Var];
    const inner = t.select(t.lt(x, c(2)), x, c(2));
    const outer = t.select(t.ge(inner, c(1)), c(1), t.add(inner, c(3)));
    const seen: t.Select[] = [];
    forEachSelect(t.mul(outer, c(2)), (s) => seen.push(s));
    expect(seen).toEqual([outer, inner, inner]);
  });
});
