// tests/tir/arith/simplify_expr.test.ts — rewrite rules one by one (affine cancelling through simplified atoms, the Ramp/Broadcast algebra), then a property test:
// a random index expression and its simplification agree at every point of the ranges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { interpret } from '../../../tir/interpreter.js';
import { proveTrue, simplifyExpr } from '../../../tir/arith/index.js';

const c = (n: number): t.IntImm => t.intImm(n);
const [i, j, yo, yi, x, y] = ['i', 'j', 'yo', 'yi', 'x', 'y'].map((n) => t.variable(n)) as [t.Var, t.Var, t.Var, t.Var, t.Var, t.Var];
const R = new Map([[i, t.range(0, 16)], [j, t.range(0, 8)], [yo, t.range(0, 8)], [yi, t.range(0, 8)]]);
const simp = (e: t.PrimExpr): string => print(simplifyExpr(e, R));

describe('simplifyExpr', () => {
  it('folds constants', () => {
    expect(simp(t.add(t.mul(c(3), c(4)), t.floordiv(c(-7), c(2))))).toBe('8');
    expect(simp(t.add(t.floatImm(1.5), t.floatImm(2)))).toBe('3.5');
  });

  it('puts affine expressions in canonical order and cancels terms', () => {
    expect(simp(t.sub(t.add(t.mul(x, c(3)), t.add(y, c(2))), t.mul(c(2), t.add(x, c(1)))))).toBe('x + y');
    expect(simp(t.add(j, t.mul(c(64), i)))).toBe('i * 64 + j');
    expect(simp(t.sub(c(64), i))).toBe('64 - i');
  });

  it('drops a floordiv remainder that bounds keep inside one block', () => {
    expect(simp(t.floordiv(t.add(t.mul(i, c(8)), j), c(8)))).toBe('i');
    expect(simp(t.floormod(t.add(t.mul(i, c(8)), j), c(8)))).toBe('j');
  });

  it('splits floordiv into a divisible part and a remainder', () => {
    expect(simp(t.floordiv(t.add(t.mul(x, c(4)), j), c(2)))).toBe('x * 2 + j // 2');
    expect(simp(t.floordiv(t.floordiv(x, c(4)), c(8)))).toBe('x // 32');
  });

  it('reassembles a fused index from its floordiv and floormod', () => {
    expect(simp(t.add(t.mul(t.floordiv(x, c(16)), c(16)), t.floormod(x, c(16))))).toBe('x');
  });

  it('treats C-style div like floordiv when the dividend is non-negative', () => {
    expect(simp(t.div(t.add(t.mul(i, c(8)), j), c(8)))).toBe('i');
    expect(simp(t.div(x, c(8)))).toBe('truncdiv(x, 8)');
  });

  it('decides min/max from bounds', () => {
    expect(simp(t.min(t.add(t.mul(yo, c(8)), c(8)), c(64)))).toBe('yo * 8 + 8');
    expect(simp(t.max(yi, c(7)))).toBe('7');
  });

  it('folds guards proven true or false and canonicalizes the rest', () => {
    expect(simp(t.lt(t.add(t.mul(yo, c(8)), yi), c(64)))).toBe('True');
    expect(simp(t.ge(t.add(t.mul(yo, c(8)), yi), c(64)))).toBe('False');
    expect(simp(t.lt(t.add(t.mul(yo, c(8)), yi), c(60)))).toBe('yo * 8 + yi < 60');
    expect(simp(t.and(t.lt(yi, c(8)), t.lt(x, y)))).toBe('x < y');
  });

  it('a non-affine atom that simplifies to a sum, difference or product joins the affine form (cancels)', () => {
    // floordiv(x·8 ± 16, 8) is x ± 2 and floordiv(x·16, 8) is x·2, for every x (plain JS below).
    const cases: [t.PrimExpr, string, (x: number) => number][] = [
      [t.sub(t.floordiv(t.add(t.mul(x, c(8)), c(16)), c(8)), x), '2', () => 2],
      [t.sub(t.floordiv(t.sub(t.mul(x, c(8)), c(16)), c(8)), x), '-2', () => -2],
      [t.sub(t.floordiv(t.mul(x, c(16)), c(8)), x), 'x', (v) => v],
    ];
    const val = (q: t.PrimExpr, v: number): number => {
      if (q.kind === 'IntImm') return q.value;
      if (q === x) return v;
      if (q.kind === 'BinaryOp') {
        const a = val(q.a, v), b = val(q.b, v);
        if (q.op === 'add') return a + b;
        if (q.op === 'sub') return a - b;
        if (q.op === 'mul') return a * b;
        if (q.op === 'floordiv') return Math.floor(a / b);
      }
      throw new Error(`unexpected ${print(q)}`);
    };
    for (const [e, want, f] of cases) {
      const got = simplifyExpr(e, R);
      expect(print(got)).toBe(want);
      for (const v of [-9, -1, 0, 3, 17]) {
        expect(val(e, v)).toBe(f(v));
        expect(val(got, v)).toBe(f(v));
      }
    }
  });

  it('Ramp ∓ Broadcast and Broadcast − Ramp stay one ramp with the right stride (lanes against plain JS)', () => {
    const lanes = (e: t.PrimExpr, env: Map<t.Var, number>): number[] => {
      const sc = (q: t.PrimExpr): number => {
        if (q.kind === 'IntImm') return q.value;
        if (q.kind === 'Var') return env.get(q)!;
        if (q.kind === 'BinaryOp' && q.op === 'add') return sc(q.a) + sc(q.b);
        if (q.kind === 'BinaryOp' && q.op === 'sub') return sc(q.a) - sc(q.b);
        if (q.kind === 'BinaryOp' && q.op === 'mul') return sc(q.a) * sc(q.b);
        throw new Error(`unexpected ${print(q)}`);
      };
      if (e.kind === 'Ramp') return Array.from({ length: e.lanes }, (_, l) => sc(e.base) + l * sc(e.stride));
      if (e.kind === 'Broadcast') return new Array<number>(e.lanes).fill(sc(e.value));
      throw new Error(`not one ramp or broadcast: ${print(e)}`);
    };
    const env = new Map([[i, 5]]);
    const cases: [t.PrimExpr, string, number[]][] = [
      [t.sub(t.broadcast(c(7), 8), t.ramp(c(0), c(1), 8)), 'ramp(7, -1, 8)', [7, 6, 5, 4, 3, 2, 1, 0]],
      [t.sub(t.broadcast(i, 4), t.ramp(c(1), c(3), 4)), 'ramp(i - 1, -3, 4)', [4, 1, -2, -5]],
      [t.add(t.broadcast(i, 4), t.ramp(c(1), c(3), 4)), 'ramp(i + 1, 3, 4)', [6, 9, 12, 15]],
      [t.sub(t.ramp(i, c(2), 4), t.broadcast(c(3), 4)), 'ramp(i - 3, 2, 4)', [2, 4, 6, 8]],
      [t.add(t.ramp(i, c(2), 4), t.broadcast(c(3), 4)), 'ramp(i + 3, 2, 4)', [8, 10, 12, 14]],
    ];
    for (const [e, want, values] of cases) {
      const got = simplifyExpr(e, R);
      expect(print(got)).toBe(want);
      expect(lanes(got, env)).toEqual(values);
    }
  });

  it('keeps vector index arithmetic as a single ramp', () => {
    const v = t.add(t.mul(t.ramp(c(0), c(1), 4), t.broadcast(c(16), 4)), t.broadcast(t.mul(i, c(64)), 4));
    expect(simp(v)).toBe('ramp(i * 64, 16, 4)');
    expect(simp(t.floordiv(t.ramp(t.mul(i, c(8)), c(1), 8), t.broadcast(c(8), 8)))).toBe('broadcast(i, 8)');
  });

  it('replaces a variable whose range has one value', () => {
    const k = t.variable('k');
    expect(print(simplifyExpr(t.add(k, i), new Map([[k, t.range(3, 1)]])))).toBe('i + 3');
  });

  it('proves a guard true only when it holds on the whole range', () => {
    expect(proveTrue(t.lt(t.add(t.mul(yo, c(8)), yi), c(64)), R)).toBe(true);
    expect(proveTrue(t.lt(t.add(t.mul(yo, c(8)), yi), c(63)), R)).toBe(false);
    expect(proveTrue(t.lt(x, c(64)))).toBe(false);
  });
});

// ---- property test -------------------------------------------------------------------

const VARS = [t.variable('a'), t.variable('b'), t.variable('k')] as const;
/** Ranges drawn anywhere: negative starts, starts that are not multiples of anything, one value. */
const rangesArb = fc.tuple(...VARS.map(() => fc.record({ min: fc.integer({ min: -20, max: 20 }), extent: fc.integer({ min: 1, max: 12 }) })));
type Ranges = readonly { min: number; extent: number }[];

const leaf = fc.oneof(
  fc.constantFrom(...VARS).map((v): t.PrimExpr => v),
  fc.integer({ min: -9, max: 20 }).map((n): t.PrimExpr => c(n)),
);
const exprArb = fc.letrec<{ e: t.PrimExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), tie('e')).map(([p, q]) => t.add(p, q)),
    fc.tuple(tie('e'), tie('e')).map(([p, q]) => t.sub(p, q)),
    fc.tuple(tie('e'), fc.integer({ min: -4, max: 9 })).map(([p, n]) => t.mul(p, c(n))),
    fc.tuple(tie('e'), leaf).map(([p, q]) => t.mul(p, q)),
    fc.tuple(tie('e'), fc.integer({ min: 1, max: 16 })).map(([p, n]) => t.floordiv(p, c(n))),
    fc.tuple(tie('e'), fc.integer({ min: 1, max: 16 })).map(([p, n]) => t.floormod(p, c(n))),
    fc.tuple(tie('e'), fc.integer({ min: 1, max: 16 })).map(([p, n]) => t.div(p, c(n))),
    fc.tuple(tie('e'), fc.integer({ min: 1, max: 16 })).map(([p, n]) => t.mod(p, c(n))),
    fc.tuple(tie('e'), tie('e')).map(([p, q]) => t.min(p, q)),
    fc.tuple(tie('e'), tie('e')).map(([p, q]) => t.max(p, q)),
    fc.tuple(tie('e'), tie('e')).map(([p, q]) => t.select(t.lt(p, q), p, q)),
  ),
})).e;

const DEFAULT_RANGES: Ranges = [{ min: 0, extent: 5 }, { min: 0, extent: 8 }, { min: 0, extent: 12 }];
const varRanges = (rs: Ranges): Map<t.Var, t.Range> => new Map(VARS.map((v, d) => [v, t.range(rs[d]!.min, rs[d]!.extent)] as const));

/** Evaluates `e` at every point of the ranges of VARS, through the interpreter. */
function table(e: t.PrimExpr, rs: Ranges = DEFAULT_RANGES): Int32Array {
  const size = rs.reduce((p, r) => p * r.extent, 1);
  const out = t.buffer('out', [size], 'int32');
  const pos = (d: number): t.PrimExpr => t.sub(VARS[d]!, c(rs[d]!.min));
  const flat = t.add(t.mul(t.add(t.mul(pos(0), c(rs[1]!.extent)), pos(1)), c(rs[2]!.extent)), pos(2));
  let body: t.Stmt = t.bufferStore(out, e, [flat]);
  for (let d = VARS.length - 1; d >= 0; d--) body = t.forLoop(VARS[d]!, rs[d]!.min, rs[d]!.extent, 'serial', body);
  const o = new Int32Array(size);
  interpret(t.primFunc('table', [out], body), [o]);
  return o;
}

/** The same table in plain JS, for the cases below whose answer is known. */
function jsTable(fn: (a: number, b: number, k: number) => number, rs: Ranges): number[] {
  const out: number[] = [];
  for (let a = rs[0]!.min; a < rs[0]!.min + rs[0]!.extent; a++) {
    for (let b = rs[1]!.min; b < rs[1]!.min + rs[1]!.extent; b++) {
      for (let k = rs[2]!.min; k < rs[2]!.min + rs[2]!.extent; k++) out.push(fn(a, b, k));
    }
  }
  return out;
}

describe('simplifyExpr on ranges that do not start at 0', () => {
  const [, , k] = VARS;
  it('keeps the shift of a floormod whose range lies in one block above 0: k ∈ [8, 16) → k − 8', () => {
    const rs: Ranges = [{ min: 0, extent: 1 }, { min: 0, extent: 1 }, { min: 8, extent: 8 }];
    const s = simplifyExpr(t.floormod(k, c(8)), varRanges(rs));
    expect(print(s)).toBe('k - 8');
    expect(Array.from(table(s, rs))).toEqual(jsTable((_a, _b, kk) => kk - 8, rs));
  });

  it('does the same below 0: k ∈ [−16, −8) → k + 16, and floordiv gives the constant −2', () => {
    const rs: Ranges = [{ min: 0, extent: 1 }, { min: 0, extent: 1 }, { min: -16, extent: 8 }];
    expect(print(simplifyExpr(t.floormod(k, c(8)), varRanges(rs)))).toBe('k + 16');
    expect(print(simplifyExpr(t.floordiv(k, c(8)), varRanges(rs)))).toBe('-2');
  });
});

describe('simplifyExpr (property)', () => {
  it('preserves the value of random index expressions at every point of ranges drawn anywhere', () => {
    fc.assert(fc.property(exprArb, rangesArb, (e, rs) => {
      const s = simplifyExpr(e, varRanges(rs));
      expect(Array.from(table(s, rs)), `${print(e)}  =>  ${print(s)} on ${JSON.stringify(rs)}`).toEqual(Array.from(table(e, rs)));
    }), { numRuns: 400 });
  });

  it('decides comparisons only when they hold (or fail) everywhere', () => {
    fc.assert(fc.property(exprArb, exprArb, rangesArb, (p, q, rs) => {
      const cond = t.lt(p, q);
      const s = simplifyExpr(cond, varRanges(rs));
      const truth = table(t.select(cond, c(1), c(0)), rs);
      if (s.kind === 'IntImm') expect(truth.every((v) => v === s.value), `${print(cond)} => ${print(s)}`).toBe(true);
      expect(Array.from(table(t.select(s, c(1), c(0)), rs))).toEqual(Array.from(truth));
    }), { numRuns: 200 });
  });
});

describe('simplifyExpr keeps distinct atoms apart (an exprKey mutant survived a sampled run)', () => {
  const [a] = VARS;
  it('does not cancel reads of two different tensors, and cancels two reads of the same one', () => {
    const P = { name: 'P', shape: [c(8)], dtype: 'int32' as const };
    const Q = { name: 'Q', shape: [c(8)], dtype: 'int32' as const };
    expect(print(simplifyExpr(t.sub(t.producerLoad(P, [a]), t.producerLoad(Q, [a]))))).not.toBe('0');
    expect(print(simplifyExpr(t.sub(t.producerLoad(P, [a]), t.producerLoad(P, [a]))))).toBe('0');
    // Index lists that read the same when run together: P2[1, 23] and P2[12, 3].
    const P2 = { name: 'P2', shape: [c(16), c(32)], dtype: 'int32' as const };
    expect(print(simplifyExpr(t.sub(t.producerLoad(P2, [c(1), c(23)]), t.producerLoad(P2, [c(12), c(3)]))))).not.toBe('0');
    const G = t.buffer('G', [8], 'int32');
    const H = t.buffer('H', [8], 'int32');
    expect(print(simplifyExpr(t.sub(t.bufferLoad(G, [a]), t.bufferLoad(H, [a]))))).not.toBe('0');
    // The same for a 2-D buffer (before flattening): G2[1, 23] − G2[12, 3] is not 0, G2[1, 23] − G2[1, 23] is.
    const G2 = t.buffer('G2', [16, 32], 'int32');
    expect(print(simplifyExpr(t.sub(t.bufferLoad(G2, [c(1), c(23)]), t.bufferLoad(G2, [c(12), c(3)]))))).not.toBe('0');
    expect(print(simplifyExpr(t.sub(t.bufferLoad(G2, [c(1), c(23)]), t.bufferLoad(G2, [c(1), c(23)]))))).toBe('0');
  });

  it('cancels two copies of the same select', () => {
    const sel = (): t.PrimExpr => t.select(t.lt(a, c(3)), a, c(3));
    expect(print(simplifyExpr(t.sub(t.add(sel(), c(5)), sel())))).toBe('5');
  });
});
