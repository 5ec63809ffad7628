// schedule/arith.ts — what bound inference needs on top of tir/arith: folding builders (cheap
// constant folding while building index expressions, without running the simplifier) and the
// symbolic interval of an index expression over relaxed loop variables, built on tir/arith's
// linear form and constant-int bounds, so that the extent of a window comes out as a constant.

import * as tir from '../tir/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { usedVars } from '../tir/functor.js';
import { boundAnalyzer, type IntBound, type VarRanges } from '../tir/arith/int_bound.js';
import { exprUses } from '../tir/passes/ir_query.js';
import { mergeDivMod } from '../tir/arith/merge_div_mod.js';
import { isConstLin, linAdd, linAtom, linConst, linScale, linToExpr, type Linear } from '../tir/arith/linear.js';

export type { VarRanges } from '../tir/arith/int_bound.js';

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

// One analyzer per ranges map (it reads the map live, so later additions are seen): bound
// inference asks thousands of small queries of the same few maps.
const analyzers = new WeakMap<VarRanges, (e: PrimExpr) => IntBound>();

/**
 * Numeric bounds of an integer expression over `ranges`, or undefined when it is unbounded or
 * uses a variable without a range. The latter holds even where tir/arith could still bound it
 * (`floormod(x, 5)`): callers then keep their guard, which is never wrong, and lowering stays
 * what it was before bound inference moved onto tir/arith.
 */
export function constBounds(e: PrimExpr, ranges: VarRanges): [number, number] | undefined {
  if (exprUses(e, (v) => !ranges.has(v))) return undefined;
  let analyze = analyzers.get(ranges);
  if (!analyze) analyzers.set(ranges, analyze = boundAnalyzer(ranges));
  const b = analyze(e);
  return Number.isFinite(b.min) && Number.isFinite(b.max) ? [b.min, b.max] : undefined;
}

/**
 * The affine form of `e` without simplifying its atoms (tir/arith's Simplifier.linear also
 * simplifies them; bound inference only needs add/sub/mul-by-constant taken apart).
 */
export function toLinear(e: PrimExpr): Linear {
  if (e.kind === 'IntImm') return linConst(e.value);
  if (e.kind === 'BinaryOp') {
    if (e.op === 'add') return linAdd(toLinear(e.a), toLinear(e.b));
    if (e.op === 'sub') return linAdd(toLinear(e.a), toLinear(e.b), -1);
    if (e.op === 'mul') {
      const ka = tir.asConstInt(e.a), kb = tir.asConstInt(e.b);
      if (kb !== undefined) return linScale(toLinear(e.a), kb);
      if (ka !== undefined) return linScale(toLinear(e.b), ka);
    }
  }
  return linAtom(e);
}

/** toLinear with tir/arith's floordiv/floormod pairs merged (mergeDivMod), inner fused loops' pairs too. */
export function mergedLinear(e: PrimExpr): Linear {
  return mergeDivMod(toLinear(e), mergedLinear);
}

/** The constant value of a linear form, or undefined when it still has terms. */
export function linConstValue(l: Linear): number | undefined {
  return isConstLin(l) ? l.c : undefined;
}

function mentions(e: PrimExpr, ranges: VarRanges): boolean {
  for (const v of usedVars(e)) if (ranges.has(v)) return true;
  return false;
}

interface Interval { readonly min: Linear; readonly max: Linear }

/**
 * Interval of one non-linear atom that varies with relaxed variables: numeric when it only
 * depends on them; for `floordiv(x, c)` of a window of constant width, a window of (at most)
 * `width / c + 2` values starting at `floordiv(min x, c)` (exact when min x is c·q + r); `floormod(x, c)`
 * is within [0, c).
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
  // A window whose start is c·q + r (every symbolic coefficient a multiple of c) divides exactly: q + ⌊r / c⌋ …
  // q + ⌊(r + width) / c⌋ (a gemm's packed panel at its column tile, floordiv(xo·bn + xi, bn), is one panel, not two).
  if ([...inner.min.terms.values()].every((t) => t.coeff % c === 0)) {
    const q = linScale({ terms: inner.min.terms, c: 0 }, 1 / c);
    const r = inner.min.c;
    return { min: linAdd(q, linConst(Math.floor(r / c))), max: linAdd(q, linConst(Math.floor((r + width) / c))) };
  }
  const min = toLinear(floordivI(linToExpr(inner.min), c));
  return { min, max: linAdd(min, linConst(Math.floor(width / c) + 1)) };
}

/**
 * Symbolic interval [min, max] of `e` when the variables in `relax` take every value of their
 * ranges and all others stay fixed; undefined when a non-linear term defeats the analysis.
 */
export function relaxInterval(e: PrimExpr, relax: VarRanges): Interval | undefined {
  const l = mergedLinear(e);
  let min: Linear = linConst(l.c);
  let max: Linear = linConst(l.c);
  for (const [key, { atom, coeff }] of l.terms) {
    if (!mentions(atom, relax)) {
      const t: Linear = { terms: new Map([[key, { atom, coeff }]]), c: 0 };
      min = linAdd(min, t);
      max = linAdd(max, t);
      continue;
    }
    const iv = atomInterval(atom, relax);
    if (!iv) return undefined;
    const [lo, hi] = coeff >= 0 ? [iv.min, iv.max] : [iv.max, iv.min];
    min = linAdd(min, linScale(lo, coeff));
    max = linAdd(max, linScale(hi, coeff));
  }
  return { min, max };
}
