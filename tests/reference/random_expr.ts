// tests/reference/random_expr.ts — random int32/float32 TIR expressions, each generated twice: as
// TIR and as a plain-JS evaluator of TIR's semantics (int32 wraparound, truncating div/mod, floor
// div/mod, float32 rounding after every op, round half to even), over an index `i`, a float input
// `x = X[i]` and an int input `k = K[i]`. The JS side never calls the code under test, so a test
// comparing a backend's output with it has an independent reference.

import fc from 'fast-check';
import * as T from '../../tir/nodes.js';
import { erfRef, roundEvenRef, sigmoidRef } from './plain_js.js';

/** What an expression may read: the index, the float input and the int input at that index. */
export interface Leaves { readonly i: T.PrimExpr; readonly x: T.PrimExpr; readonly k: T.PrimExpr }

/** One random expression: TIR over the leaves, and its value in plain JS. */
export interface Gen {
  readonly tir: (l: Leaves) => T.PrimExpr;
  readonly js: (i: number, x: number, k: number) => number;
  /** A short description, printed when a case fails. */
  readonly text: string;
}

const f32 = Math.fround;
const floorDiv = (a: number, b: number): number => Math.floor(a / b) | 0;

/** TIR's int32 semantics for each binary op. */
export const INT_JS: Readonly<Record<T.BinaryOpName, (a: number, b: number) => number>> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: (a, b) => Math.imul(a, b),
  min: Math.min,
  max: Math.max,
  div: (a, b) => Math.trunc(a / b) | 0,
  mod: (a, b) => (a % b) | 0,
  floordiv: floorDiv,
  floormod: (a, b) => (a - floorDiv(a, b) * b) | 0,
};

/** TIR's float32 semantics for the float binary ops (rounded to float32 per op). */
export const FLOAT_JS: Readonly<Record<'add' | 'sub' | 'mul' | 'div' | 'min' | 'max', (a: number, b: number) => number>> = {
  add: (a, b) => f32(a + b),
  sub: (a, b) => f32(a - b),
  mul: (a, b) => f32(a * b),
  div: (a, b) => f32(a / b),
  min: Math.min,
  max: Math.max,
};

export const CMP_JS: Readonly<Record<T.CompareOpName, (a: number, b: number) => boolean>> = {
  lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b, eq: (a, b) => a === b, ne: (a, b) => a !== b,
};

const CMP_OPS = Object.keys(CMP_JS) as T.CompareOpName[];
const DIVISORS = [1, 2, 3, 4, 5, 7, 8, 16, -1, -3, -4, -8];

/** A boolean built from two operands: one comparison, or two joined by and/or, maybe negated. */
interface BoolGen { readonly tir: (l: Leaves) => T.PrimExpr; readonly js: (i: number, x: number, k: number) => boolean; readonly text: string }

function boolOf(a: Gen, b: Gen, c: Gen, d: Gen, op1: T.CompareOpName, op2: T.CompareOpName, join: 'and' | 'or' | 'none', negate: boolean): BoolGen {
  const one: BoolGen = { tir: (l) => T.compare(op1, a.tir(l), b.tir(l)), js: (i, x, k) => CMP_JS[op1](a.js(i, x, k), b.js(i, x, k)), text: `${a.text} ${op1} ${b.text}` };
  const two: BoolGen = { tir: (l) => T.compare(op2, c.tir(l), d.tir(l)), js: (i, x, k) => CMP_JS[op2](c.js(i, x, k), d.js(i, x, k)), text: `${c.text} ${op2} ${d.text}` };
  const joined: BoolGen = join === 'none' ? one
    : join === 'and'
      ? { tir: (l) => T.and(one.tir(l), two.tir(l)), js: (i, x, k) => one.js(i, x, k) && two.js(i, x, k), text: `(${one.text} && ${two.text})` }
      : { tir: (l) => T.or(one.tir(l), two.tir(l)), js: (i, x, k) => one.js(i, x, k) || two.js(i, x, k), text: `(${one.text} || ${two.text})` };
  return negate ? { tir: (l) => T.not(joined.tir(l)), js: (i, x, k) => !joined.js(i, x, k), text: `!${joined.text}` } : joined;
}

const boolShape = fc.record({
  op1: fc.constantFrom(...CMP_OPS), op2: fc.constantFrom(...CMP_OPS),
  join: fc.constantFrom('and' as const, 'or' as const, 'none' as const, 'none' as const), negate: fc.boolean(),
});

const intLeaf: fc.Arbitrary<Gen> = fc.oneof(
  fc.constant<Gen>({ tir: (l) => l.i, js: (i) => i, text: 'i' }),
  fc.constant<Gen>({ tir: (l) => l.k, js: (_i, _x, k) => k, text: 'k' }),
  fc.constant<Gen>({ tir: (l) => T.sub(l.i, T.intImm(20)), js: (i) => i - 20, text: '(i - 20)' }),
  fc.integer({ min: -20, max: 20 }).map<Gen>((c) => ({ tir: () => T.intImm(c), js: () => c, text: String(c) })),
  fc.integer({ min: -9, max: 9 }).map<Gen>((c) => ({
    tir: (l) => T.cast('int32', T.mul(l.x, T.floatImm(c))), js: (_i, x) => Math.trunc(f32(x * c)) | 0, text: `int(x * ${c})`,
  })),
);

/** Random int32 expressions. */
export const intExpr: fc.Arbitrary<Gen> = fc.letrec<{ e: Gen }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    intLeaf,
    fc.tuple(fc.constantFrom<T.BinaryOpName>('add', 'sub', 'mul', 'min', 'max'), tie('e'), tie('e')).map<Gen>(([op, a, b]) => ({
      tir: (l) => T.binary(op, a.tir(l), b.tir(l)), js: (i, x, k) => INT_JS[op](a.js(i, x, k), b.js(i, x, k)), text: `${op}(${a.text}, ${b.text})`,
    })),
    fc.tuple(fc.constantFrom<T.BinaryOpName>('div', 'mod', 'floordiv', 'floormod'), tie('e'), fc.constantFrom(...DIVISORS)).map<Gen>(([op, a, d]) => ({
      tir: (l) => T.binary(op, a.tir(l), T.intImm(d)), js: (i, x, k) => INT_JS[op](a.js(i, x, k), d), text: `${op}(${a.text}, ${d})`,
    })),
    // A divisor that varies per element: 1..5 or -5..-1, from k.
    fc.tuple(fc.constantFrom<T.BinaryOpName>('div', 'mod', 'floordiv', 'floormod'), tie('e'), fc.boolean()).map<Gen>(([op, a, neg]) => {
      const dT = (l: Leaves): T.PrimExpr => (neg ? T.sub(T.intImm(-1), T.floormod(l.k, T.intImm(5))) : T.add(T.floormod(l.k, T.intImm(5)), T.intImm(1)));
      const dJ = (k: number): number => (neg ? -1 - INT_JS.floormod(k, 5) : INT_JS.floormod(k, 5) + 1);
      return { tir: (l) => T.binary(op, a.tir(l), dT(l)), js: (i, x, k) => INT_JS[op](a.js(i, x, k), dJ(k)), text: `${op}(${a.text}, d(k${neg ? ', neg' : ''}))` };
    }),
    fc.tuple(boolShape, tie('e'), tie('e'), tie('e'), tie('e'), tie('e'), tie('e')).map<Gen>(([s, a, b, c, d, p, q]) => {
      const cond = boolOf(a, b, c, d, s.op1, s.op2, s.join, s.negate);
      return { tir: (l) => T.select(cond.tir(l), p.tir(l), q.tir(l)), js: (i, x, k) => (cond.js(i, x, k) ? p.js(i, x, k) : q.js(i, x, k)), text: `select(${cond.text}, ${p.text}, ${q.text})` };
    }),
    // A bool cast to int (1 or 0).
    fc.tuple(fc.constantFrom(...CMP_OPS), tie('e'), tie('e')).map<Gen>(([op, a, b]) => ({
      tir: (l) => T.cast('int32', T.compare(op, a.tir(l), b.tir(l))), js: (i, x, k) => (CMP_JS[op](a.js(i, x, k), b.js(i, x, k)) ? 1 : 0), text: `int(${a.text} ${op} ${b.text})`,
    })),
  ),
})).e;

type Unary = 'abs' | 'floor' | 'ceil' | 'trunc' | 'round' | 'sqrt';
const UNARY_JS: Readonly<Record<Unary, (v: number) => number>> = {
  abs: Math.abs, floor: Math.floor, ceil: Math.ceil, trunc: Math.trunc, round: roundEvenRef, sqrt: (v) => f32(Math.sqrt(Math.abs(v))),
};

const floatLeaf: fc.Arbitrary<Gen> = fc.oneof(
  fc.constant<Gen>({ tir: (l) => l.x, js: (_i, x) => x, text: 'x' }),
  fc.integer({ min: -40, max: 40 }).map<Gen>((c) => ({ tir: () => T.floatImm(c / 8), js: () => c / 8, text: String(c / 8) })),
  intExpr.map<Gen>((g) => ({ tir: (l) => T.mul(T.cast('float32', g.tir(l)), T.floatImm(0.25)), js: (i, x, k) => f32(f32(g.js(i, x, k)) * 0.25), text: `float(${g.text}) * 0.25` })),
);

/**
 * Random float32 expressions of exactly rounded operations (so every backend must agree with
 * the JS side bit for bit): + − × ÷ (by a divisor ≥ 0.5), min, max, abs, floor, ceil, trunc,
 * round, sqrt(|·|), selects on float comparisons.
 */
export const floatExpr: fc.Arbitrary<Gen> = fc.letrec<{ e: Gen }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    floatLeaf,
    fc.tuple(fc.constantFrom('add' as const, 'sub' as const, 'mul' as const, 'min' as const, 'max' as const), tie('e'), tie('e')).map<Gen>(([op, a, b]) => ({
      tir: (l) => T.binary(op, a.tir(l), b.tir(l)), js: (i, x, k) => FLOAT_JS[op](a.js(i, x, k), b.js(i, x, k)), text: `${op}(${a.text}, ${b.text})`,
    })),
    fc.tuple(tie('e'), tie('e')).map<Gen>(([a, b]) => ({
      tir: (l) => T.div(a.tir(l), T.add(T.call('abs', [b.tir(l)]), T.floatImm(0.5))),
      js: (i, x, k) => FLOAT_JS.div(a.js(i, x, k), f32(Math.abs(b.js(i, x, k)) + 0.5)),
      text: `${a.text} / (|${b.text}| + 0.5)`,
    })),
    fc.tuple(fc.constantFrom<Unary>('abs', 'floor', 'ceil', 'trunc', 'round', 'sqrt'), tie('e')).map<Gen>(([fn, a]) => ({
      tir: (l) => T.call(fn, [fn === 'sqrt' ? T.call('abs', [a.tir(l)]) : a.tir(l)]), js: (i, x, k) => UNARY_JS[fn](a.js(i, x, k)), text: `${fn}(${a.text})`,
    })),
    fc.tuple(boolShape, tie('e'), tie('e'), tie('e'), tie('e'), tie('e'), tie('e')).map<Gen>(([s, a, b, c, d, p, q]) => {
      const cond = boolOf(a, b, c, d, s.op1, s.op2, s.join, s.negate);
      return { tir: (l) => T.select(cond.tir(l), p.tir(l), q.tir(l)), js: (i, x, k) => (cond.js(i, x, k) ? p.js(i, x, k) : q.js(i, x, k)), text: `select(${cond.text}, ${p.text}, ${q.text})` };
    }),
  ),
})).e;

const SMOOTH_JS: Readonly<Record<string, (v: number) => number>> = { exp: Math.exp, tanh: Math.tanh, sigmoid: sigmoidRef, erf: erfRef };

/** A float expression under exp (argument clamped to ≤ 10), tanh, sigmoid or erf: compare with a tolerance. */
export const smoothExpr: fc.Arbitrary<Gen> = fc.tuple(fc.constantFrom('exp', 'tanh', 'sigmoid', 'erf'), floatExpr).map<Gen>(([fn, g]) => ({
  tir: (l) => T.call(fn as T.IntrinsicName, [fn === 'exp' ? T.min(g.tir(l), T.floatImm(10)) : g.tir(l)]),
  js: (i, x, k) => SMOOTH_JS[fn]!(fn === 'exp' ? Math.min(g.js(i, x, k), 10) : g.js(i, x, k)),
  text: `${fn}(${g.text})`,
}));

/** Inputs: x in [−4, 4) in steps of 1/8 (exact in float32, with halves for round), k in [−30, 30]. */
export function exprInputs(n: number, seed: number): { x: Float32Array; k: Int32Array } {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 8;
  };
  const x = Float32Array.from({ length: n }, () => ((next() % 64) - 32) / 8 + ((next() % 3) === 0 ? 1 / 16 : 0));
  const k = Int32Array.from({ length: n }, () => (next() % 61) - 30);
  return { x, k };
}

/**
 * Y[e·n + i] = gens[e](i, X[i], K[i]) for i < n, as a PrimFunc over (X, K, Y). With `lanes` > 1
 * the i loop is split into n / lanes serial steps of a `vectorized` loop of `lanes` (n must be
 * a multiple of lanes), so the vectorizer and the backend's vector path run. `outer: 'threadIdx.x'`
 * binds the outer loop to GPU threads (one element or vector per thread).
 */
export function exprKernel(name: string, gens: readonly Gen[], dtype: 'int32' | 'float32', n: number, lanes: number, outer: 'serial' | 'threadIdx.x' = 'serial'): T.PrimFunc {
  if (n % lanes !== 0) throw new Error(`exprKernel: ${n} elements do not split into vectors of ${lanes}`);
  const X = T.buffer('X', [n], 'float32');
  const K = T.buffer('K', [n], 'int32');
  const Y = T.buffer('Y', [gens.length * n], dtype);
  const io = T.variable('io');
  const ii = T.variable('ii');
  const i = lanes === 1 ? io : T.add(T.mul(io, T.intImm(lanes)), ii);
  const l: Leaves = { i, x: T.bufferLoad(X, [i]), k: T.bufferLoad(K, [i]) };
  const stores = T.seq(gens.map((g, e) => T.bufferStore(Y, g.tir(l), [T.add(T.intImm(e * n), i)])));
  const inner = lanes === 1 ? stores : T.forLoop(ii, 0, lanes, 'vectorized', stores);
  const body = outer === 'serial' ? T.forLoop(io, 0, n / lanes, 'serial', inner) : T.forLoop(io, 0, n / lanes, 'threadBinding', inner, { threadTag: outer });
  return T.primFunc(name, [X, K, Y], body);
}

/** What plain JS says Y must hold. */
export function exprWant(gens: readonly Gen[], dtype: 'int32' | 'float32', x: Float32Array, k: Int32Array): Float32Array | Int32Array {
  const n = x.length;
  const out = dtype === 'int32' ? new Int32Array(gens.length * n) : new Float32Array(gens.length * n);
  gens.forEach((g, e) => {
    for (let i = 0; i < n; i++) out[e * n + i] = g.js(i, x[i]!, k[i]!);
  });
  return out;
}

/** The first element where `got` and `want` differ by more than `tol`·max(1, |want|), as a message; undefined if none. */
export function firstMismatch(gens: readonly Gen[], got: ArrayLike<number>, want: ArrayLike<number>, n: number, tol = 0): string | undefined {
  for (let p = 0; p < want.length; p++) {
    const g = got[p]!;
    const w = want[p]!;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= tol * Math.max(1, Math.abs(w));
    if (!ok) return `expression ${Math.floor(p / n)} at i=${p % n}: got ${g}, plain JS ${w}: ${gens[Math.floor(p / n)]!.text}`;
  }
  return undefined;
}
