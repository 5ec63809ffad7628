// tests/reference/random_stmt.ts — random TIR statement programs (nested serial / unrolled loops,
// if / else, lets, local scratch allocations used as accumulators, sequences of read-modify-write
// stores) generated as plain data, turned into TIR by one function and run in plain JS by
// another (float32 rounding per op), so a backend's or a pass's result can be compared with an
// independent reference. The programs read X (float32[16]) and update Y (float32[12]) in place,
// so a store run twice, skipped or reordered changes the answer.

import fc from 'fast-check';
import * as T from '../../tir/nodes.js';

export const X_LEN = 16;
export const Y_LEN = 12;
const S_LEN = 4;

export type IntR =
  | { readonly k: 'var'; readonly i: number }
  | { readonly k: 'const'; readonly v: number }
  | { readonly k: 'add' | 'sub' | 'mul'; readonly a: IntR; readonly b: IntR };
export type FloatR =
  | { readonly k: 'x'; readonly idx: IntR; readonly s: number }
  | { readonly k: 'cast'; readonly a: IntR };
export type StmtR =
  | { readonly k: 'store' | 'sstore'; readonly idx: IntR; readonly val: FloatR }
  | { readonly k: 'for'; readonly ext: number; readonly kind: 'serial' | 'unrolled'; readonly body: StmtR }
  | { readonly k: 'if'; readonly a: IntR; readonly c: number; readonly then: StmtR; readonly else?: StmtR }
  | { readonly k: 'let'; readonly val: IntR; readonly body: StmtR }
  | { readonly k: 'alloc'; readonly body: StmtR }
  | { readonly k: 'seq'; readonly items: readonly StmtR[] };

const intR: fc.Arbitrary<IntR> = fc.letrec<{ e: IntR }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.nat(5).map((i): IntR => ({ k: 'var', i })),
    fc.integer({ min: -6, max: 9 }).map((v): IntR => ({ k: 'const', v })),
    fc.tuple(fc.constantFrom('add' as const, 'sub' as const, 'mul' as const), tie('e'), tie('e')).map(([k, a, b]): IntR => ({ k, a, b })),
  ),
})).e;

const floatR: fc.Arbitrary<FloatR> = fc.oneof(
  fc.tuple(intR, fc.integer({ min: -4, max: 4 })).map(([idx, s]): FloatR => ({ k: 'x', idx, s: s / 2 })),
  intR.map((a): FloatR => ({ k: 'cast', a })),
);

/** Random statement programs (a few dozen nodes at most). */
export const stmtR: fc.Arbitrary<StmtR> = fc.letrec<{ s: StmtR }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.tuple(fc.constantFrom('store' as const, 'store' as const, 'sstore' as const), intR, floatR).map(([k, idx, val]): StmtR => ({ k, idx, val })),
    fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('serial' as const, 'unrolled' as const), tie('s')).map(([ext, kind, body]): StmtR => ({ k: 'for', ext, kind, body })),
    fc.tuple(intR, fc.integer({ min: -3, max: 6 }), tie('s'), fc.option(tie('s'), { nil: undefined })).map(([a, c, then, els]): StmtR => (els ? { k: 'if', a, c, then, else: els } : { k: 'if', a, c, then })),
    fc.tuple(intR, tie('s')).map(([val, body]): StmtR => ({ k: 'let', val, body })),
    tie('s').map((body): StmtR => ({ k: 'alloc', body })),
    fc.array(tie('s'), { minLength: 2, maxLength: 3 }).map((items): StmtR => ({ k: 'seq', items })),
  ),
})).s;

const fmod = (a: number, n: number): number => ((a % n) + n) % n;

// ---- TIR -----------------------------------------------------------------------------------

interface TirScope { readonly vars: readonly T.Var[]; readonly scratch: readonly T.Buffer[] }

function intTir(e: IntR, vars: readonly T.Var[]): T.PrimExpr {
  switch (e.k) {
    case 'var': return vars.length === 0 ? T.intImm(0) : vars[e.i % vars.length]!;
    case 'const': return T.intImm(e.v);
    default: return T.binary(e.k, intTir(e.a, vars), intTir(e.b, vars));
  }
}

function floatTir(e: FloatR, vars: readonly T.Var[], X: T.Buffer): T.PrimExpr {
  if (e.k === 'cast') return T.mul(T.cast('float32', intTir(e.a, vars)), T.floatImm(0.25));
  return T.mul(T.bufferLoad(X, [T.floormod(intTir(e.idx, vars), T.intImm(X_LEN))]), T.floatImm(e.s));
}

function stmtTir(s: StmtR, sc: TirScope, X: T.Buffer, Y: T.Buffer, depth: number): T.Stmt {
  switch (s.k) {
    case 'store':
    case 'sstore': {
      const target = s.k === 'sstore' && sc.scratch.length > 0 ? sc.scratch[sc.scratch.length - 1]! : Y;
      const ix = T.floormod(intTir(s.idx, sc.vars), T.intImm(target === Y ? Y_LEN : S_LEN));
      return T.bufferStore(target, T.add(T.bufferLoad(target, [ix]), floatTir(s.val, sc.vars, X)), [ix]);
    }
    case 'for': {
      const v = T.variable(`i${depth}`);
      return T.forLoop(v, 0, s.ext, s.kind, stmtTir(s.body, { ...sc, vars: [...sc.vars, v] }, X, Y, depth + 1));
    }
    case 'if': {
      const cond = T.lt(intTir(s.a, sc.vars), T.intImm(s.c));
      const then = stmtTir(s.then, sc, X, Y, depth + 1);
      return s.else ? T.ifThenElse(cond, then, stmtTir(s.else, sc, X, Y, depth + 1)) : T.ifThenElse(cond, then);
    }
    case 'let': {
      const v = T.variable(`v${depth}`);
      return T.letStmt(v, intTir(s.val, sc.vars), stmtTir(s.body, { ...sc, vars: [...sc.vars, v] }, X, Y, depth + 1));
    }
    case 'alloc': {
      const S = T.buffer(`S${depth}`, [S_LEN], 'float32', 'local');
      const j = T.variable(`z${depth}`);
      const init = T.forLoop(j, 0, S_LEN, 'unrolled', T.bufferStore(S, T.floatImm(0), [j]));
      const body = stmtTir(s.body, { ...sc, scratch: [...sc.scratch, S] }, X, Y, depth + 1);
      let total: T.PrimExpr = T.bufferLoad(S, [T.intImm(0)]);
      for (let q = 1; q < S_LEN; q++) total = T.add(total, T.mul(T.bufferLoad(S, [T.intImm(q)]), T.floatImm(q + 1)));
      const out = T.intImm(depth % Y_LEN);
      const flush = T.bufferStore(Y, T.add(T.bufferLoad(Y, [out]), total), [out]);
      return T.allocate(S, T.seq([init, body, flush]));
    }
    case 'seq':
      return T.seq(s.items.map((x) => stmtTir(x, sc, X, Y, depth + 1)));
  }
}

/** The program as a PrimFunc over (X: float32[16], Y: float32[12]), Y updated in place. */
export function stmtFunc(s: StmtR, name = 'random_stmt'): T.PrimFunc {
  const X = T.buffer('X', [X_LEN], 'float32');
  const Y = T.buffer('Y', [Y_LEN], 'float32');
  return T.primFunc(name, [X, Y], stmtTir(s, { vars: [], scratch: [] }, X, Y, 0));
}

// ---- plain JS ------------------------------------------------------------------------------

function intJs(e: IntR, vals: readonly number[]): number {
  switch (e.k) {
    case 'var': return vals.length === 0 ? 0 : vals[e.i % vals.length]!;
    case 'const': return e.v;
    case 'add': return (intJs(e.a, vals) + intJs(e.b, vals)) | 0;
    case 'sub': return (intJs(e.a, vals) - intJs(e.b, vals)) | 0;
    case 'mul': return Math.imul(intJs(e.a, vals), intJs(e.b, vals));
  }
}

function floatJs(e: FloatR, vals: readonly number[], x: Float32Array): number {
  if (e.k === 'cast') return Math.fround(Math.fround(intJs(e.a, vals)) * 0.25);
  return Math.fround(x[fmod(intJs(e.idx, vals), X_LEN)]! * e.s);
}

function runJs(s: StmtR, vals: readonly number[], scratch: readonly Float32Array[], x: Float32Array, y: Float32Array, depth: number): void {
  switch (s.k) {
    case 'store':
    case 'sstore': {
      const target = s.k === 'sstore' && scratch.length > 0 ? scratch[scratch.length - 1]! : y;
      const ix = fmod(intJs(s.idx, vals), target === y ? Y_LEN : S_LEN);
      target[ix] = Math.fround(target[ix]! + floatJs(s.val, vals, x));
      return;
    }
    case 'for':
      for (let i = 0; i < s.ext; i++) runJs(s.body, [...vals, i], scratch, x, y, depth + 1);
      return;
    case 'if':
      if (intJs(s.a, vals) < s.c) runJs(s.then, vals, scratch, x, y, depth + 1);
      else if (s.else) runJs(s.else, vals, scratch, x, y, depth + 1);
      return;
    case 'let':
      runJs(s.body, [...vals, intJs(s.val, vals)], scratch, x, y, depth + 1);
      return;
    case 'alloc': {
      const S = new Float32Array(S_LEN);
      runJs(s.body, vals, [...scratch, S], x, y, depth + 1);
      let total = S[0]!;
      for (let q = 1; q < S_LEN; q++) total = Math.fround(total + Math.fround(S[q]! * (q + 1)));
      const out = depth % Y_LEN;
      y[out] = Math.fround(y[out]! + total);
      return;
    }
    case 'seq':
      for (const item of s.items) runJs(item, vals, scratch, x, y, depth + 1);
  }
}

/** What plain JS says Y holds after the program, from `x` and Y's initial `y0`. */
export function stmtWant(s: StmtR, x: Float32Array, y0: Float32Array): Float32Array {
  const y = Float32Array.from(y0);
  runJs(s, [], [], x, y, 0);
  return y;
}

/** Inputs: X in [−2, 2) in steps of 1/4, Y starting at small distinct values. */
export function stmtInputs(seed: number): { x: Float32Array; y: Float32Array } {
  let st = seed >>> 0 || 1;
  const next = (): number => {
    st = (Math.imul(st, 1664525) + 1013904223) >>> 0;
    return st >>> 8;
  };
  return {
    x: Float32Array.from({ length: X_LEN }, () => ((next() % 16) - 8) / 4),
    y: Float32Array.from({ length: Y_LEN }, (_, i) => i / 8 - 0.5),
  };
}
