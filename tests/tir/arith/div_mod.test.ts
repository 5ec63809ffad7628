// tests/tir/arith/div_mod.test.ts — the simplifier's integer division and remainder rules
// (tir/arith/div_mod.ts), rule by rule: which form each case must take, and a property test per
// rule on dividends built to hit it (multiples of the divisor, common factors, nested floordiv /
// floormod, varying divisors) over ranges drawn anywhere, negative included, each simplified
// expression evaluated by a plain-JS evaluator (below) at every point and compared with
// JavaScript's own floor/truncating division of the original.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { simplifyExpr } from '../../../tir/arith/index.js';
import { evalInt, fdiv, fmod } from '../../reference/eval_index.js';

const c = (n: number): t.IntImm => t.intImm(n);
const [x, y, j] = ['x', 'y', 'j'].map((n) => t.variable(n)) as [t.Var, t.Var, t.Var];

type Ranges = [number, number][]; // [min, extent] for x, y, j
const VARS = [x, y, j];
const R = (rs: Ranges): Map<t.Var, t.Range> => new Map(VARS.map((v, k) => [v, t.range(rs[k]![0], rs[k]![1])]));

/** Every point of the ranges: the simplified expression must give `want` there. */
function agreesEverywhere(orig: t.PrimExpr, want: (env: Map<t.Var, number>) => number, rs: Ranges): void {
  const s = simplifyExpr(orig, R(rs));
  const env = new Map<t.Var, number>();
  for (let a = rs[0]![0]; a < rs[0]![0] + rs[0]![1]; a++) {
    for (let b = rs[1]![0]; b < rs[1]![0] + rs[1]![1]; b++) {
      for (let d = rs[2]![0]; d < rs[2]![0] + rs[2]![1]; d++) {
        env.set(x, a).set(y, b).set(j, d);
        const got = evalInt(s, env);
        const w = want(env);
        if (got !== w) throw new Error(`${print(orig)} → ${print(s)} at x=${a}, y=${b}, j=${d}: ${got}, want ${w}`);
      }
    }
  }
}

const rangesArb: fc.Arbitrary<Ranges> = fc.tuple(
  ...[0, 1, 2].map(() => fc.tuple(fc.integer({ min: -24, max: 24 }), fc.integer({ min: 1, max: 9 }))),
) as fc.Arbitrary<Ranges>;
const coeffArb = fc.integer({ min: -3, max: 3 });
const divisorArb = fc.integer({ min: 1, max: 12 });

/** a·d·x + b·y + e·j + k, the x term a multiple of the divisor, the rest anything. */
const affine = fc.record({ a: coeffArb, b: fc.integer({ min: -12, max: 12 }), e: fc.integer({ min: -2, max: 2 }), k: fc.integer({ min: -30, max: 30 }) });
function affineExpr(p: { a: number; b: number; e: number; k: number }, d: number): { tir: t.PrimExpr; js: (env: Map<t.Var, number>) => number } {
  return {
    tir: t.add(t.add(t.add(t.mul(x, c(p.a * d)), t.mul(c(p.b), y)), t.mul(j, c(p.e))), c(p.k)),
    js: (env) => p.a * d * env.get(x)! + p.b * env.get(y)! + p.e * env.get(j)! + p.k,
  };
}

describe('div_mod rules: the form each case takes', () => {
  const simp = (e: t.PrimExpr, rs: Ranges = [[0, 16], [0, 8], [0, 8]]): string => print(simplifyExpr(e, R(rs)));

  it('folds constants with floor and truncating semantics', () => {
    expect(simp(t.floordiv(c(-7), c(2)))).toBe('-4');
    expect(simp(t.div(c(-7), c(2)))).toBe('-3');
    expect(simp(t.floormod(c(-7), c(3)))).toBe('2');
    expect(simp(t.mod(c(-7), c(3)))).toBe('-1');
    expect(simp(t.floordiv(c(7), c(-2)))).toBe('-4');
    expect(simp(t.floormod(c(7), c(-2)))).toBe('-1');
  });

  it('drops division by 1 and gives 0 for a remainder by 1', () => {
    expect(simp(t.floordiv(t.add(x, y), c(1)))).toBe('x + y');
    expect(simp(t.floormod(t.add(x, y), c(1)))).toBe('0');
  });

  it('moves the part divisible by the divisor out, and decides the rest from its bounds', () => {
    expect(simp(t.floordiv(t.add(t.mul(x, c(8)), j), c(8)))).toBe('x');
    expect(simp(t.floordiv(t.add(t.mul(x, c(8)), j), c(8)), [[0, 16], [0, 8], [8, 8]])).toBe('x + 1');
    expect(simp(t.floordiv(t.add(t.mul(x, c(8)), j), c(8)), [[0, 16], [0, 8], [-8, 8]])).toBe('x - 1');
    expect(simp(t.floormod(t.add(t.mul(x, c(8)), j), c(8)), [[0, 16], [0, 8], [8, 8]])).toBe('j - 8');
    expect(simp(t.floormod(t.add(t.mul(x, c(8)), j), c(8)), [[0, 16], [0, 8], [-8, 8]])).toBe('j + 8');
    expect(simp(t.floordiv(t.add(t.mul(x, c(16)), t.add(j, c(3))), c(8)))).toBe('x * 2 + (j + 3) // 8');
    expect(simp(t.floormod(t.add(t.mul(x, c(16)), t.sub(j, c(13))), c(8)))).toBe('(j + 3) % 8');
  });

  it('divides out a factor common to the divisor and the dividend', () => {
    expect(simp(t.floordiv(t.add(t.mul(x, c(4)), t.mul(y, c(2))), c(8)))).toBe('(x * 2 + y) // 4');
    expect(simp(t.floormod(t.add(t.mul(x, c(6)), t.mul(y, c(4))), c(8)))).toBe('(x * 3 + y * 2) % 4 * 2');
  });

  it('merges nested floordiv and floormod by constants', () => {
    expect(simp(t.floordiv(t.floordiv(x, c(4)), c(8)), [[-40, 100], [0, 8], [0, 8]])).toBe('x // 32');
    expect(simp(t.floormod(t.floormod(x, c(16)), c(4)), [[-40, 100], [0, 8], [0, 8]])).toBe('x % 4');
    expect(simp(t.floormod(t.floormod(x, c(6)), c(4)), [[-40, 100], [0, 8], [0, 8]])).toBe('x % 6 % 4');
  });

  it('gives 0 (floordiv) or the dividend (floormod) when a non-negative dividend is below a varying positive divisor', () => {
    const rs: Ranges = [[0, 4], [5, 4], [0, 8]];
    expect(simp(t.floordiv(x, y), rs)).toBe('0');
    expect(simp(t.floormod(x, y), rs)).toBe('x');
    expect(simp(t.div(x, y), rs)).toBe('0');
    expect(simp(t.mod(x, y), rs)).toBe('x');
    expect(simp(t.floordiv(x, y), [[0, 6], [5, 4], [0, 8]])).toBe('x // y');
    expect(simp(t.floormod(x, y), [[-1, 4], [5, 4], [0, 8]])).toBe('x % y');
  });

  it('treats truncating div/mod as floor ones only for a non-negative dividend and positive divisor', () => {
    expect(simp(t.div(t.add(t.mul(x, c(8)), j), c(8)))).toBe('x');
    expect(simp(t.mod(t.add(t.mul(x, c(8)), j), c(8)))).toBe('j');
    expect(simp(t.div(t.sub(x, c(20)), c(8)))).toBe('truncdiv(x - 20, 8)');
    expect(simp(t.mod(t.sub(x, c(20)), c(8)))).toBe('truncmod(x - 20, 8)');
    expect(simp(t.div(x, t.sub(y, c(4))))).toBe('truncdiv(x, y - 4)');
  });
});

describe('div_mod rules (property, ranges anywhere)', () => {
  it('floordiv and floormod of dividends with a part divisible by the divisor', () => {
    fc.assert(fc.property(affine, divisorArb, rangesArb, (p, d, rs) => {
      const e = affineExpr(p, d);
      agreesEverywhere(t.floordiv(e.tir, c(d)), (env) => fdiv(e.js(env), d), rs);
      agreesEverywhere(t.floormod(e.tir, c(d)), (env) => fmod(e.js(env), d), rs);
    }), { numRuns: 150, seed: 1431 });
  });

  it('truncating div and mod', () => {
    fc.assert(fc.property(affine, divisorArb, rangesArb, (p, d, rs) => {
      const e = affineExpr(p, d);
      agreesEverywhere(t.div(e.tir, c(d)), (env) => Math.trunc(e.js(env) / d), rs);
      agreesEverywhere(t.mod(e.tir, c(d)), (env) => e.js(env) % d, rs);
    }), { numRuns: 100, seed: 1432 });
  });

  it('a factor common to divisor and dividend', () => {
    fc.assert(fc.property(affine, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 4 }), rangesArb, (p, d, g, rs) => {
      const e = affineExpr(p, d);
      const scaled = t.mul(e.tir, c(g));
      agreesEverywhere(t.floordiv(scaled, c(d * g)), (env) => fdiv(e.js(env) * g, d * g), rs);
      agreesEverywhere(t.floormod(scaled, c(d * g)), (env) => fmod(e.js(env) * g, d * g), rs);
      agreesEverywhere(t.floormod(t.add(scaled, c(g)), c(d * g * 2)), (env) => fmod(e.js(env) * g + g, d * g * 2), rs);
    }), { numRuns: 100, seed: 1433 });
  });

  it('nested floordiv / floormod by constants', () => {
    fc.assert(fc.property(affine, divisorArb, divisorArb, fc.integer({ min: 1, max: 4 }), rangesArb, (p, d1, d2, m, rs) => {
      const e = affineExpr(p, 1);
      agreesEverywhere(t.floordiv(t.floordiv(e.tir, c(d1)), c(d2)), (env) => fdiv(fdiv(e.js(env), d1), d2), rs);
      agreesEverywhere(t.floormod(t.floormod(e.tir, c(d1 * m)), c(d1)), (env) => fmod(fmod(e.js(env), d1 * m), d1), rs);
      agreesEverywhere(t.floormod(t.floormod(e.tir, c(d1)), c(d2)), (env) => fmod(fmod(e.js(env), d1), d2), rs);
      agreesEverywhere(t.floordiv(t.floormod(e.tir, c(d1 * m)), c(d1)), (env) => fdiv(fmod(e.js(env), d1 * m), d1), rs);
      agreesEverywhere(t.add(t.mul(t.floordiv(e.tir, c(d1)), c(d1)), t.floormod(e.tir, c(d1))), (env) => e.js(env), rs);
    }), { numRuns: 100, seed: 1434 });
  });

  it('varying divisors and dividends of either sign', () => {
    fc.assert(fc.property(affine, fc.integer({ min: 1, max: 5 }), rangesArb, (p, d, rs) => {
      const e = affineExpr(p, d);
      const pos = t.add(t.floormod(y, c(5)), c(1)); // 1..5
      const posJs = (env: Map<t.Var, number>): number => fmod(env.get(y)!, 5) + 1;
      agreesEverywhere(t.floordiv(e.tir, pos), (env) => fdiv(e.js(env), posJs(env)), rs);
      agreesEverywhere(t.floormod(e.tir, pos), (env) => fmod(e.js(env), posJs(env)), rs);
      agreesEverywhere(t.div(e.tir, pos), (env) => Math.trunc(e.js(env) / posJs(env)), rs);
      agreesEverywhere(t.mod(e.tir, pos), (env) => e.js(env) % posJs(env), rs);
      agreesEverywhere(t.floordiv(t.floormod(x, c(4)), pos), (env) => fdiv(fmod(env.get(x)!, 4), posJs(env)), rs);
      agreesEverywhere(t.floormod(t.floormod(x, c(4)), t.add(pos, c(3))), (env) => fmod(fmod(env.get(x)!, 4), posJs(env) + 3), rs);
    }), { numRuns: 100, seed: 1435 });
  });
});
