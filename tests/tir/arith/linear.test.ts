// tests/tir/arith/linear.test.ts — the affine canonical form (tir/arith/linear.ts): linAdd /
// linScale / linToExpr keep the value Σ coeff·atom + c (checked by a plain-JS evaluator at random
// points, negative coefficients and constants included), the printed order of terms (larger
// |coefficient| first, then variables by creation), gcd against a brute-force search, and exprKey
// telling apart exactly the expressions that differ.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { simplifyExpr } from '../../../tir/arith/simplify_expr.js';
import { exprKey, gcd, isConstLin, linAdd, linAtom, linConst, linScale, linToExpr, orderedTerms, type Linear } from '../../../tir/arith/linear.js';

const V = ['a', 'b', 'c', 'd'].map((n) => t.variable(n));
const P = t.floordiv(V[0]!, t.intImm(3)); // a non-variable atom

/** Plain-JS value of an add/sub/mul/floordiv tree over V. */
function evalLin(e: t.PrimExpr, env: readonly number[]): number {
  switch (e.kind) {
    case 'IntImm': return e.value;
    case 'Var': return env[V.indexOf(e)]!;
    case 'BinaryOp': {
      const a = evalLin(e.a, env), b = evalLin(e.b, env);
      if (e.op === 'add') return a + b;
      if (e.op === 'sub') return a - b;
      if (e.op === 'mul') return a * b;
      if (e.op === 'floordiv') return Math.floor(a / b);
    }
  }
  throw new Error(`evalLin: unexpected ${print(e)}`);
}

const atoms: t.PrimExpr[] = [...V, P];
const linArb: fc.Arbitrary<{ coeffs: number[]; c: number }> = fc.record({
  coeffs: fc.array(fc.integer({ min: -6, max: 6 }), { minLength: atoms.length, maxLength: atoms.length }),
  c: fc.integer({ min: -20, max: 20 }),
});
function build(p: { coeffs: number[]; c: number }): Linear {
  let l = linConst(p.c);
  p.coeffs.forEach((k, i) => { l = linAdd(l, linScale(linAtom(atoms[i]!), k)); });
  return l;
}
const value = (p: { coeffs: number[]; c: number }, env: readonly number[]): number =>
  p.coeffs.reduce((s, k, i) => s + k * evalLin(atoms[i]!, env), p.c);
const envArb = fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 4, maxLength: 4 });

describe('linear forms (property)', () => {
  it('linToExpr of linAdd / linScale has the value Σ coeff·atom + c', () => {
    fc.assert(fc.property(linArb, linArb, fc.integer({ min: -3, max: 3 }), envArb, (p, q, s, env) => {
      const a = build(p), b = build(q);
      const z = (v: number): number => v + 0; // −0 and 0 are the same integer
      expect(z(evalLin(linToExpr(a), env))).toBe(z(value(p, env)));
      expect(z(evalLin(linToExpr(linAdd(a, b, s)), env))).toBe(z(value(p, env) + s * value(q, env)));
      expect(z(evalLin(linToExpr(linScale(a, s)), env))).toBe(z(s * value(p, env)));
      // a term that cancels is gone, not kept with coefficient 0
      expect([...linAdd(a, a, -1).terms.values()]).toEqual([]);
      expect(isConstLin(linAdd(a, a, -1))).toBe(true);
    }), { numRuns: 300, seed: 1441 });
  });

  it('gcd is the largest common divisor, signs ignored', () => {
    fc.assert(fc.property(fc.integer({ min: -60, max: 60 }), fc.integer({ min: -60, max: 60 }), (a, b) => {
      let want = 0;
      for (let d = 1; d <= 60; d++) if (a % d === 0 && b % d === 0) want = d;
      if (a === 0 && b === 0) want = 0;
      else if (a === 0) want = Math.abs(b);
      else if (b === 0) want = Math.abs(a);
      expect(gcd(a, b)).toBe(want);
    }), { numRuns: 300, seed: 1442 });
  });
});

describe('linear forms: cases', () => {
  const [a, b, c] = V as [t.Var, t.Var, t.Var];
  it('orders terms by |coefficient|, then variables by creation, other atoms last', () => {
    const l = linAdd(linAdd(linAdd(linScale(linAtom(c), 2), linAtom(b)), linScale(linAtom(a), -8)), linAtom(P));
    expect(orderedTerms(l).map((x) => [print(x.atom), x.coeff])).toEqual([['a', -8], ['c', 2], ['b', 1], ['a // 3', 1]]);
    expect(print(linToExpr(l))).toBe('c * 2 + b + a // 3 - a * 8');
  });

  it('writes constants last, a leading negative term after a constant', () => {
    expect(print(linToExpr(linAdd(linAtom(a), linConst(3))))).toBe('a + 3');
    expect(print(linToExpr(linAdd(linAtom(a), linConst(-3))))).toBe('a - 3');
    expect(print(linToExpr(linAdd(linScale(linAtom(a), -1), linConst(5))))).toBe('5 - a');
    expect(print(linToExpr(linScale(linAtom(a), -2)))).toBe('a * -2');
    expect(print(linToExpr(linConst(-4)))).toBe('-4');
    expect(print(linToExpr(linScale(linAtom(a), 0)))).toBe('0');
    expect(print(linToExpr(linAdd(linScale(linAtom(a), -1), linScale(linAtom(b), -2))))).toBe('b * -2 - a');
  });

  it('exprKey: equal for the same computation, different when anything differs', () => {
    const A = t.buffer('A', [8], 'float32');
    const B = t.buffer('A', [8], 'float32'); // same name, another buffer
    const same: [t.PrimExpr, t.PrimExpr][] = [
      [t.add(a, t.intImm(1)), t.add(a, t.intImm(1))],
      [t.bufferLoad(A, [a]), t.bufferLoad(A, [a])],
      [t.floatImm(0.5), t.floatImm(0.5)],
    ];
    for (const [x, y] of same) expect(exprKey(x)).toBe(exprKey(y));
    const differ: [t.PrimExpr, t.PrimExpr][] = [
      [t.add(a, b), t.add(b, a)], [t.add(a, b), t.sub(a, b)], [a, t.variable('a')],
      [t.bufferLoad(A, [a]), t.bufferLoad(B, [a])], [t.bufferLoad(A, [t.add(a, t.intImm(12))]), t.bufferLoad(A, [t.add(a, t.intImm(1)), t.intImm(2)].slice(0, 1))],
      [t.floatImm(0), t.floatImm(-0)], [t.floatImm(1), t.intImm(1)],
      [t.cast('float32', a), t.cast('int32', t.cast('float32', a))], [t.not(t.lt(a, b)), t.lt(a, b)],
      [t.select(t.lt(a, b), a, b), t.select(t.lt(a, b), b, a)],
      [t.call('exp', [t.floatImm(1)]), t.call('tanh', [t.floatImm(1)])],
      [t.ramp(a, t.intImm(1), 4), t.ramp(a, t.intImm(1), 8)], [t.broadcast(a, 4), t.broadcast(a, 8)],
      [t.and(t.lt(a, b), t.lt(b, c)), t.or(t.lt(a, b), t.lt(b, c))],
    ];
    for (const [x, y] of differ) expect(exprKey(x), `${print(x)} vs ${print(y)}`).not.toBe(exprKey(y));
  });

  it('exprKey keeps index lists, producers and reduction axes apart (constant indices 1, 23 vs 12, 3)', () => {
    const A2 = t.buffer('A2', [16, 32], 'float32');
    const P2: t.DataProducer = { name: 'P2', shape: [t.intImm(16), t.intImm(32)], dtype: 'float32' };
    const Q2: t.DataProducer = { name: 'Q2', shape: [t.intImm(16), t.intImm(32)], dtype: 'float32' };
    const k1 = t.iterVar(t.range(0, 4), 'k1', 'reduce');
    const k2 = t.iterVar(t.range(0, 8), 'k2', 'reduce');
    const load = (i: number, j: number): t.PrimExpr => t.bufferLoad(A2, [t.intImm(i), t.intImm(j)]);
    const pload = (p: t.DataProducer, i: number, j: number): t.PrimExpr => t.producerLoad(p, [t.intImm(i), t.intImm(j)]);
    const src = t.bufferLoad(A2, [a, b]);
    const differ: [t.PrimExpr, t.PrimExpr][] = [
      [load(1, 23), load(12, 3)],
      [pload(P2, 1, 23), pload(P2, 12, 3)], [pload(P2, 1, 2), pload(Q2, 1, 2)], [pload(P2, 1, 2), load(1, 2)],
      [t.reduce('sum', src, [k1]), t.reduce('sum', src, [k2])], [t.reduce('sum', src, [k1]), t.reduce('max', src, [k1])],
      [t.reduce('sum', src, [k1]), t.reduce('sum', t.bufferLoad(A2, [b, a]), [k1])],
    ];
    for (const [x, y] of differ) expect(exprKey(x), `${print(x)} vs ${print(y)}`).not.toBe(exprKey(y));
    expect(exprKey(pload(P2, 1, 23))).toBe(exprKey(pload(P2, 1, 23)));
    expect(exprKey(t.reduce('sum', src, [k1, k2]))).toBe(exprKey(t.reduce('sum', src, [k1, k2])));
    // What the key decides: A2[1, 23] − A2[12, 3] is not zero (plain JS on a row-major A2).
    const diff = simplifyExpr(t.sub(load(1, 23), load(12, 3)));
    const data = Float32Array.from({ length: 16 * 32 }, (_, q) => q);
    const env = (e: t.PrimExpr): number => {
      if (e.kind === 'BufferLoad') return data[(e.indices[0] as t.IntImm).value * 32 + (e.indices[1] as t.IntImm).value]!;
      if (e.kind === 'BinaryOp' && e.op === 'sub') return env(e.a) - env(e.b);
      if (e.kind === 'FloatImm' || e.kind === 'IntImm') return e.value;
      throw new Error(`unexpected ${print(e)}`);
    };
    expect(env(diff)).toBe((1 * 32 + 23) - (12 * 32 + 3));
  });
});
