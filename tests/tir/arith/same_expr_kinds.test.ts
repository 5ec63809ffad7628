// tests/tir/arith/same_expr_kinds.test.ts — sameExpr (and so simplifyExpr's folds that rest on it)
// on casts, calls and reductions: equal exactly when the operands, the op and the dtype are, and
// select(c, e, e) → e only then. Expected answers are written by hand.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { exprKey, sameExpr, simplifyExpr } from '../../../tir/arith/index.js';

const x = t.variable('x');
const y = t.variable('y');
const f = t.variable('f', 'float32');

function agree(a: t.PrimExpr, b: t.PrimExpr, want: boolean): void {
  expect(sameExpr(a, b)).toBe(want);
  expect(sameExpr(b, a)).toBe(want);
  expect(exprKey(a) === exprKey(b)).toBe(want);
}

describe('sameExpr on Cast, Call, Reduce', () => {
  it('casts: same when the value and the target dtype are', () => {
    agree(t.cast('float32', t.add(x, t.intImm(1))), t.cast('float32', t.add(x, t.intImm(1))), true);
    agree(t.cast('float32', x), t.cast('float32', y), false);
    agree(t.cast('float32', x), t.cast('float16', x), false);
  });

  it('calls: same op and the same arguments', () => {
    agree(t.call('exp', [f]), t.call('exp', [f]), true);
    agree(t.call('exp', [f]), t.call('log', [f]), false);
    agree(t.call('pow', [f, t.floatImm(2)]), t.call('pow', [f, t.floatImm(2)]), true);
    agree(t.call('pow', [f, t.floatImm(2)]), t.call('pow', [f, t.floatImm(3)]), false);
    agree(t.call('pow', [f, t.floatImm(2)]), t.call('pow', [t.floatImm(2), f]), false);
  });

  it('reductions: the same axes (by identity), combiner, source and condition', () => {
    const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const k2 = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const src = t.cast('float32', k.variable);
    agree(t.reduce('sum', src, [k]), t.reduce('sum', src, [k]), true);
    agree(t.reduce('sum', src, [k]), t.reduce('max', src, [k]), false);
    agree(t.reduce('sum', src, [k]), t.reduce('sum', t.cast('float32', k2.variable), [k2]), false);
    agree(t.reduce('sum', src, [k]), t.reduce('sum', src, [k], t.lt(k.variable, t.intImm(2))), false);
  });

  it('select(c, e, e) folds to e exactly when the arms are the same', () => {
    const c = t.lt(x, y);
    const e1 = t.call('exp', [t.cast('float32', x)]);
    const e2 = t.call('exp', [t.cast('float32', x)]);
    expect(sameExpr(simplifyExpr(t.select(c, e1, e2)), e1)).toBe(true);
    expect(simplifyExpr(t.select(c, e1, t.call('exp', [t.cast('float32', y)]))).kind).toBe('Select');
    expect(simplifyExpr(t.select(c, e1, t.call('log', [t.cast('float32', x)]))).kind).toBe('Select');
    expect(simplifyExpr(t.select(c, t.cast('float32', x), t.cast('float32', y))).kind).toBe('Select');
  });
});
