// tests/tir/arith/simplify_logic.test.ts — simplifyExpr folds `and`/`or` with a constant on either
// side (x && false → false, x && true → x, x || true → true, x || false → x) and keeps the value of
// every other combination; each result is checked against the truth table in plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { simplifyExpr } from '../../../tir/arith/index.js';
import { print } from '../../../tir/printer.js';

const x = t.variable('x');
const y = t.variable('y');
const T = t.intImm(1, 'bool');
const F = t.intImm(0, 'bool');
const p = t.lt(x, t.intImm(3));
const q = t.ge(y, x);

function evalJS(e: t.PrimExpr, xv: number, yv: number): boolean {
  switch (e.kind) {
    case 'IntImm': return e.value !== 0;
    case 'CompareOp': {
      const a = e.a === x ? xv : e.a === y ? yv : (e.a as t.IntImm).value;
      const b = e.b === x ? xv : e.b === y ? yv : (e.b as t.IntImm).value;
      return e.op === 'lt' ? a < b : e.op === 'ge' ? a >= b : NaN as never;
    }
    case 'LogicalOp': return e.op === 'and' ? evalJS(e.a, xv, yv) && evalJS(e.b, xv, yv) : evalJS(e.a, xv, yv) || evalJS(e.b, xv, yv);
    default: throw new Error(`evalJS: ${e.kind}`);
  }
}

describe('simplifyExpr: and / or with a constant operand', () => {
  const cases: [string, t.PrimExpr, t.PrimExpr][] = [
    ['p && false', t.and(p, F), F], ['false && p', t.and(F, p), F],
    ['p && true', t.and(p, T), p], ['true && p', t.and(T, p), p],
    ['p || true', t.or(p, T), T], ['true || p', t.or(T, p), T],
    ['p || false', t.or(p, F), p], ['false || p', t.or(F, p), p],
  ];
  it.each(cases)('%s folds', (_, e, want) => {
    const s = simplifyExpr(e);
    expect(print(s)).toBe(print(want));
    for (let xv = -1; xv <= 5; xv++) expect(evalJS(s, xv, 0)).toBe(evalJS(e, xv, 0));
  });

  it('keeps p && q and p || q (values over a grid)', () => {
    for (const e of [t.and(p, q), t.or(p, q), t.and(q, t.or(p, F)), t.or(t.and(T, q), p)]) {
      const s = simplifyExpr(e);
      expect(s.kind, print(s)).toBe('LogicalOp');
      for (let xv = -2; xv <= 5; xv++) for (let yv = -2; yv <= 5; yv++) expect(evalJS(s, xv, yv), print(s)).toBe(evalJS(e, xv, yv));
    }
  });
});
