// schedule/arith.ts — the small integer arithmetic bound inference needs: folding builders,
// numeric bounds of index expressions, and linear forms (sum of coef × atom + constant) so
// that the extent of a symbolic interval comes out as a constant.

import * as tir from '../tir/nodes.js';
import type { PrimExpr, Var } from '../tir/nodes.js';
import { usedVars } from '../tir/functor.js';

/** Numeric [lo, hi] (inclusive) of loop variables. */
export type VarRanges = ReadonlyMap<Var, readonly [number, number]>;

const int = (v: number): PrimExpr => tir.intImm(v);

export function addI(a: PrimExpr, b: PrimExpr): PrimExpr {
  const x = tir.asConstInt(a), y = tir.asConstInt(b);
  if (x !== undefined && y !== undefined) return int(x + y);
  if (x === 0) return b;
  if (y === 0) return a;
  if (y !== undefined && y < 0) return tir.sub(a, int(-y));
  return tir.add(a, b);
}

export function subI(a: PrimExpr, b: PrimExpr): PrimExpr {
  const x = tir.asConstInt(a), y = tir.asConstInt(b);
  if (x !== undefined && y !== undefined) return int(x - y);
  if (y === 0) return a;
  return tir.sub(a, b);
}

export function mulI(a: PrimExpr, b: PrimExpr): PrimExpr {
  const x = tir.asConstInt(a), y = tir.asConstInt(b);
  if (x !== undefined && y !== undefined) return int(x * y);
  if (x === 1) return b;
  if (y === 1) return a;
  if (x === 0 || y === 0) return int(0);
  return tir.mul(a, b);
}

export function floordivI(a: PrimExpr, n: number): PrimExpr {
  const x = tir.asConstInt(a);
  if (x !== undefined) return int(Math.floor(x / n));
  return n === 1 ? a : tir.floordiv(a, int(n));
}

export function floormodI(a: PrimExpr, n: number): PrimExpr {
  const x = tir.asConstInt(a);
  if (x !== undefined) return int(((x % n) + n) % n);
  return n === 1 ? int(0) : tir.floormod(a, int(n));
}

/** Numeric bounds of an integer expression over `ranges`, or undefined if it has other vars. */
export function constBounds(e: PrimExpr, ranges: VarRanges): [number, number] | undefined {
  switch (e.kind) {
    case 'IntImm': return [e.value, e.value];
    case 'Var': {
      const r = ranges.get(e);
      return r ? [r[0], r[1]] : undefined;
    }
    case 'BinaryOp': {
      const a = constBounds(e.a, ranges);
      const b = constBounds(e.b, ranges);
      if (!a || !b) return undefined;
      switch (e.op) {
        case 'add': return [a[0] + b[0], a[1] + b[1]];
        case 'sub': return [a[0] - b[1], a[1] - b[0]];
        case 'mul': {
          const p = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]];
          return [Math.min(...p), Math.max(...p)];
        }
        case 'min': return [Math.min(a[0], b[0]), Math.min(a[1], b[1])];
        case 'max': return [Math.max(a[0], b[0]), Math.max(a[1], b[1])];
        case 'floordiv':
          if (b[0] === b[1] && b[0] > 0) return [Math.floor(a[0] / b[0]), Math.floor(a[1] / b[0])];
          return undefined;
        case 'floormod':
          if (b[0] === b[1] && b[0] > 0) {
            if (Math.floor(a[0] / b[0]) === Math.floor(a[1] / b[0])) return [((a[0] % b[0]) + b[0]) % b[0], ((a[1] % b[0]) + b[0]) % b[0]];
            return [0, b[0] - 1];
          }
          return undefined;
        default: return undefined;
      }
    }
    default: return undefined;
  }
}

/** sum(coef × atom) + c; atoms are variables or opaque sub-expressions keyed structurally. */
export interface Linear {
  readonly terms: ReadonlyMap<string, { readonly atom: PrimExpr; readonly coef: number }>;
  readonly c: number;
}

/** A structural key: equal keys mean equal expressions (variables by identity). */
export function exprKey(e: PrimExpr): string {
  switch (e.kind) {
    case 'IntImm': return `${e.value}`;
    case 'Var': return `v${e.id}`;
    case 'BinaryOp': return `(${e.op} ${exprKey(e.a)} ${exprKey(e.b)})`;
    default: return `(${e.kind}#${JSON.stringify(e, (k, v: unknown) => (k === 'producer' || k === 'buffer' ? undefined : v))})`;
  }
}

function scale(l: Linear, k: number): Linear {
  const terms = new Map<string, { atom: PrimExpr; coef: number }>();
  if (k !== 0) for (const [key, t] of l.terms) terms.set(key, { atom: t.atom, coef: t.coef * k });
  return { terms, c: l.c * k };
}

export function linAdd(a: Linear, b: Linear, kb = 1): Linear {
  const terms = new Map(a.terms);
  for (const [key, t] of b.terms) {
    const coef = (terms.get(key)?.coef ?? 0) + kb * t.coef;
    if (coef === 0) terms.delete(key);
    else terms.set(key, { atom: t.atom, coef });
  }
  return { terms, c: a.c + kb * b.c };
}

export function linConst(c: number): Linear {
  return { terms: new Map(), c };
}

export function toLinear(e: PrimExpr): Linear {
  if (e.kind === 'IntImm') return linConst(e.value);
  if (e.kind === 'BinaryOp') {
    if (e.op === 'add') return linAdd(toLinear(e.a), toLinear(e.b));
    if (e.op === 'sub') return linAdd(toLinear(e.a), toLinear(e.b), -1);
    if (e.op === 'mul') {
      const ka = tir.asConstInt(e.a), kb = tir.asConstInt(e.b);
      if (kb !== undefined) return scale(toLinear(e.a), kb);
      if (ka !== undefined) return scale(toLinear(e.b), ka);
    }
  }
  return { terms: new Map([[exprKey(e), { atom: e, coef: 1 }]]), c: 0 };
}

export function fromLinear(l: Linear): PrimExpr {
  let out: PrimExpr | undefined;
  for (const { atom, coef } of l.terms.values()) {
    if (out === undefined) out = coef === 1 ? atom : mulI(atom, int(coef));
    else if (coef < 0) out = subI(out, mulI(atom, int(-coef)));
    else out = addI(out, mulI(atom, int(coef)));
  }
  return out === undefined ? int(l.c) : addI(out, int(l.c));
}

/** The constant value of a linear form, or undefined when it still has terms. */
export function linConstValue(l: Linear): number | undefined {
  return l.terms.size === 0 ? l.c : undefined;
}

function mentions(e: PrimExpr, ranges: VarRanges): boolean {
  for (const v of usedVars(e)) if (ranges.has(v)) return true;
  return false;
}

interface Interval { readonly min: Linear; readonly max: Linear }

/**
 * Interval of one non-linear atom that varies with relaxed variables: numeric when it only
 * depends on them; for `floordiv(x, c)` of a window of constant width, a window of (at most)
 * `width / c + 2` values starting at `floordiv(min x, c)`; `floormod(x, c)` is within [0, c).
 */
function atomInterval(atom: PrimExpr, relax: VarRanges): Interval | undefined {
  const b = constBounds(atom, relax);
  if (b) return { min: linConst(b[0]), max: linConst(b[1]) };
  if (atom.kind !== 'BinaryOp') return undefined;
  const c = tir.asConstInt(atom.b);
  if (c === undefined || c <= 0) return undefined;
  if (atom.op === 'floormod') return { min: linConst(0), max: linConst(c - 1) };
  if (atom.op !== 'floordiv') return undefined;
  const inner = relaxInterval(atom.a, relax);
  const width = inner ? linConstValue(linAdd(inner.max, inner.min, -1)) : undefined;
  if (!inner || width === undefined) return undefined;
  const min = toLinear(floordivI(fromLinear(inner.min), c));
  return { min, max: linAdd(min, linConst(Math.floor(width / c) + 1)) };
}

/**
 * Symbolic interval [min, max] of `e` when the variables in `relax` take every value of their
 * ranges and all others stay fixed; undefined when a non-linear term defeats the analysis.
 */
export function relaxInterval(e: PrimExpr, relax: VarRanges): Interval | undefined {
  const l = toLinear(e);
  let min: Linear = linConst(l.c);
  let max: Linear = linConst(l.c);
  for (const [key, { atom, coef }] of l.terms) {
    if (!mentions(atom, relax)) {
      const t: Linear = { terms: new Map([[key, { atom, coef }]]), c: 0 };
      min = linAdd(min, t);
      max = linAdd(max, t);
      continue;
    }
    const iv = atomInterval(atom, relax);
    if (!iv) return undefined;
    const [lo, hi] = coef >= 0 ? [iv.min, iv.max] : [iv.max, iv.min];
    min = linAdd(min, scale(lo, coef));
    max = linAdd(max, scale(hi, coef));
  }
  return { min, max };
}
