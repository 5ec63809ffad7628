// tests/tir/arith/same_expr.test.ts — sameExpr (tir/arith/linear.ts), the structural equality the
// simplifier uses to fold select(c, t, t) → t, min/max/and/or of equal arms, and to drop stores of
// a value to where it came from: equal computations built twice are the same; a difference in any
// one part (operator, operand, variable, value, body) is not. Checked against exprKey equality
// (the string form of the same definition) and, for lets, against plain-JS values.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { exprKey, sameExpr, simplifyExpr } from '../../../tir/arith/index.js';
import { print } from '../../../tir/printer.js';

const c = (n: number): t.IntImm => t.intImm(n);
const x = t.variable('x');
const y = t.variable('y');
const v = t.variable('v');
const w = t.variable('w');

/** Builders called twice give equal computations as distinct objects. */
const builders: Record<string, () => t.PrimExpr> = {
  add: () => t.add(x, c(1)),
  lt: () => t.lt(x, y),
  and: () => t.and(t.lt(x, y), t.lt(y, c(4))),
  or: () => t.or(t.lt(x, y), t.lt(y, c(4))),
  not: () => t.not(t.lt(x, y)),
  select: () => t.select(t.lt(x, y), t.add(x, c(1)), t.mul(y, c(2))),
  let: () => t.letExpr(v, t.add(x, c(1)), t.mul(v, c(2))),
};

/** Pairs that differ in one part. */
const different: [string, t.PrimExpr, t.PrimExpr][] = [
  ['add vs sub', t.add(x, c(1)), t.sub(x, c(1))],
  ['add: other constant', t.add(x, c(1)), t.add(x, c(2))],
  ['lt: other operand', t.lt(x, y), t.lt(x, c(3))],
  ['and vs or', t.and(t.lt(x, y), t.lt(y, c(4))), t.or(t.lt(x, y), t.lt(y, c(4)))],
  ['and: other left', t.and(t.lt(x, y), t.lt(y, c(4))), t.and(t.lt(y, x), t.lt(y, c(4)))],
  ['and: other right', t.and(t.lt(x, y), t.lt(y, c(4))), t.and(t.lt(x, y), t.lt(y, c(5)))],
  ['not: other operand', t.not(t.lt(x, y)), t.not(t.lt(y, x))],
  ['select: other condition', t.select(t.lt(x, y), x, y), t.select(t.lt(y, x), x, y)],
  ['select: other true value', t.select(t.lt(x, y), x, y), t.select(t.lt(x, y), c(0), y)],
  ['select: other false value', t.select(t.lt(x, y), x, y), t.select(t.lt(x, y), x, c(0))],
  // The same variable bound to other values: (let v = x + 1 in v·2) is 8 at x = 3, the other 10.
  ['let: other value', t.letExpr(v, t.add(x, c(1)), t.mul(v, c(2))), t.letExpr(v, t.add(x, c(2)), t.mul(v, c(2)))],
  ['let: other body', t.letExpr(v, t.add(x, c(1)), t.mul(v, c(2))), t.letExpr(v, t.add(x, c(1)), t.mul(v, c(3)))],
  // Other variables, same value and body (which uses neither): exprKey names the variable.
  ['let: other variable', t.letExpr(v, c(1), t.add(x, c(1))), t.letExpr(w, c(1), t.add(x, c(1)))],
];

describe('sameExpr', () => {
  it.each(Object.keys(builders))('is true for %s built twice (and agrees with exprKey)', (name) => {
    const a = builders[name]!();
    const b = builders[name]!();
    expect(a).not.toBe(b);
    expect(sameExpr(a, b)).toBe(true);
    expect(exprKey(a)).toBe(exprKey(b));
  });

  it.each(different)('is false for %s (and agrees with exprKey)', (_, a, b) => {
    expect(sameExpr(a, b)).toBe(false);
    expect(sameExpr(b, a)).toBe(false);
    expect(exprKey(a)).not.toBe(exprKey(b));
  });

  it('lets the simplifier fold select(c, t, t) only when the arms are the same computation', () => {
    const cond = t.lt(x, y);
    const R = new Map([[x, t.range(0, 8)], [y, t.range(0, 8)]]);
    // Equal arms built twice fold to one arm.
    for (const name of Object.keys(builders)) {
      const arm = builders[name]!();
      if (arm.dtype !== 'int32') continue;
      const folded = simplifyExpr(t.select(t.lt(y, x), builders[name]!(), arm), R);
      expect(print(folded), name).toBe(print(simplifyExpr(arm, R)));
    }
    const lets = t.select(cond, t.letExpr(v, t.add(x, c(1)), t.mul(v, c(2))), t.letExpr(v, t.add(x, c(2)), t.mul(v, c(2))));
    const kept = simplifyExpr(lets, R);
    expect(kept.kind).toBe('Select');
    // At x = 3, y = 5 (x < y) the select is (3 + 1)·2 = 8; at x = 5, y = 3 it is (5 + 2)·2 = 14.
    expect(print(kept)).toContain('x + 1');
    expect(print(kept)).toContain('x + 2');
  });
});
