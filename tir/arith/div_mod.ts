// tir/arith/div_mod.ts — rules for integer division and remainder by a constant: split the
// affine dividend into a part divisible by the divisor and a remainder whose bounds decide.
// floordiv(c·q + r, c) = q + floordiv(r, c) holds for every integer q, so these are exact.

import { add, binary, floordiv, floormod, intImm, mul, type PrimExpr } from '../nodes.js';
import type { IntBound } from './int_bound.js';
import { gcd, linAdd, linConst, linScale, linToExpr, type Linear, type Term } from './linear.js';

/** What the rules need from the simplifier. */
export interface DivModContext {
  readonly bound: (e: PrimExpr) => IntBound;
  linear(e: PrimExpr): Linear;
}

interface Split {
  /** Σ (coeff / c)·atom + ⌊const / c⌋ */
  readonly quotient: Linear;
  /** the rest, with its constant reduced into [0, c) */
  readonly rest: Linear;
}

function splitByDivisor(l: Linear, c: number): Split {
  const qTerms = new Map<string, Term>();
  const rTerms = new Map<string, Term>();
  for (const [k, t] of l.terms) {
    if (t.coeff % c === 0) qTerms.set(k, { atom: t.atom, coeff: t.coeff / c });
    else rTerms.set(k, t);
  }
  const cq = Math.floor(l.c / c);
  return { quotient: { terms: qTerms, c: cq }, rest: { terms: rTerms, c: l.c - cq * c } };
}

/** The largest g dividing c and every coefficient and the constant of `l`. */
function commonFactor(l: Linear, c: number): number {
  let g = gcd(c, l.c);
  for (const t of l.terms.values()) g = gcd(g, t.coeff);
  return g;
}

function floorDivConst(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Is `x` (a single atom with coefficient 1 and no constant) a floordiv/floormod by a constant? */
function soleAtom(l: Linear): PrimExpr | undefined {
  if (l.c !== 0 || l.terms.size !== 1) return undefined;
  const t = [...l.terms.values()][0]!;
  return t.coeff === 1 ? t.atom : undefined;
}

/** floordiv or C-style div of int32 `a` by `b` (both already simplified). */
export function simplifyDiv(ctx: DivModContext, op: 'floordiv' | 'div', a: PrimExpr, b: PrimExpr): PrimExpr {
  const ba = ctx.bound(a);
  const bb = ctx.bound(b);
  if (a.kind === 'IntImm' && b.kind === 'IntImm' && b.value !== 0) {
    return intImm(op === 'floordiv' ? floorDivConst(a.value, b.value) : Math.trunc(a.value / b.value));
  }
  // Truncating and flooring division agree on a non-negative dividend and positive divisor.
  if (op === 'div' && !(ba.min >= 0 && bb.min > 0)) return binary(op, a, b);
  if (b.kind !== 'IntImm' || b.value <= 0) {
    if (ba.min >= 0 && bb.min > 0 && ba.max < bb.min) return intImm(0);
    return binary(op, a, b);
  }
  const c = b.value;
  if (c === 1) return a;
  const { quotient, rest } = splitByDivisor(ctx.linear(a), c);
  const r = ctx.bound(linToExpr(rest));
  if (Number.isFinite(r.min) && floorDivConst(r.min, c) === floorDivConst(r.max, c)) {
    return linToExpr(linAdd(quotient, linConst(floorDivConst(r.min, c))));
  }
  // floordiv(g·r', g·c') = floordiv(r', c')
  const g = commonFactor(rest, c);
  const restG = linScale(rest, 1 / g);
  const cG = c / g;
  let tail: PrimExpr;
  const inner = soleAtom(restG);
  if (inner && inner.kind === 'BinaryOp' && inner.op === 'floordiv' && inner.b.kind === 'IntImm' && inner.b.value > 0) {
    tail = floordiv(inner.a, intImm(inner.b.value * cG));
  } else {
    tail = floordiv(linToExpr(restG), intImm(cG));
  }
  if (quotient.terms.size === 0 && quotient.c === 0) return tail;
  return add(linToExpr(quotient), tail);
}

/** floormod or C-style mod of int32 `a` by `b` (both already simplified). */
export function simplifyMod(ctx: DivModContext, op: 'floormod' | 'mod', a: PrimExpr, b: PrimExpr): PrimExpr {
  const ba = ctx.bound(a);
  const bb = ctx.bound(b);
  if (a.kind === 'IntImm' && b.kind === 'IntImm' && b.value !== 0) {
    return intImm(op === 'floormod' ? a.value - floorDivConst(a.value, b.value) * b.value : a.value % b.value);
  }
  if (op === 'mod' && !(ba.min >= 0 && bb.min > 0)) return binary(op, a, b);
  if (b.kind !== 'IntImm' || b.value <= 0) {
    if (ba.min >= 0 && bb.min > 0 && ba.max < bb.min) return a;
    return binary(op, a, b);
  }
  const c = b.value;
  if (c === 1) return intImm(0);
  // Coefficients only matter modulo c.
  const l = ctx.linear(a);
  const terms = new Map<string, Term>();
  for (const [k, t] of l.terms) {
    const m = ((t.coeff % c) + c) % c;
    if (m !== 0) terms.set(k, { atom: t.atom, coeff: m });
  }
  const rest: Linear = { terms, c: ((l.c % c) + c) % c };
  const r = ctx.bound(linToExpr(rest));
  if (Number.isFinite(r.min) && floorDivConst(r.min, c) === floorDivConst(r.max, c)) {
    return linToExpr(linAdd(rest, linConst(-floorDivConst(r.min, c) * c)));
  }
  // floormod(g·r', g·c') = g·floormod(r', c')
  const g = commonFactor(rest, c);
  const restG = linScale(rest, 1 / g);
  const cG = c / g;
  const inner = soleAtom(restG);
  let m: PrimExpr;
  if (inner && inner.kind === 'BinaryOp' && inner.op === 'floormod' && inner.b.kind === 'IntImm' && inner.b.value % cG === 0) {
    m = floormod(inner.a, intImm(cG));
  } else {
    m = floormod(linToExpr(restG), intImm(cG));
  }
  return g === 1 ? m : mul(m, intImm(g));
}
