// tir/arith/linear.ts — the canonical form of affine int32 expressions: a sum of coeff·atom
// terms plus a constant, where an atom is a variable or any non-affine subexpression.

import { add, intImm, mul, sub, type PrimExpr } from '../nodes.js';

export interface Term {
  readonly atom: PrimExpr;
  readonly coeff: number;
}

/** Σ coeff·atom + c. Terms are keyed by the atom's identity key (see exprKey). */
export interface Linear {
  readonly terms: ReadonlyMap<string, Term>;
  readonly c: number;
}

const keys = new WeakMap<object, string>();

/**
 * A string that is equal for two expressions exactly when they are the same computation on
 * the same variables and buffers (by identity, unlike structural equality which renames).
 */
export function exprKey(e: PrimExpr): string {
  const hit = keys.get(e);
  if (hit !== undefined) return hit;
  let k: string;
  switch (e.kind) {
    // A constant's dtype is part of its key except for the common int32 / float32 (whose keys the
    // canonical order of atoms rests on): bool 1 is not int32 1, a float16 constant rounds to 11 bits.
    case 'IntImm': k = e.dtype === 'int32' ? `${e.value}` : `${e.value}:${e.dtype}`; break;
    case 'FloatImm': k = `${Object.is(e.value, -0) ? '-0' : e.value}f${e.dtype === 'float32' ? '' : `:${e.dtype}`}`; break;
    case 'Var': k = `$${e.id}`; break;
    case 'BinaryOp':
    case 'CompareOp':
    case 'LogicalOp': k = `(${e.op} ${exprKey(e.a)} ${exprKey(e.b)})`; break;
    case 'Not': k = `(not ${exprKey(e.a)})`; break;
    case 'Select': k = `(select ${exprKey(e.condition)} ${exprKey(e.trueValue)} ${exprKey(e.falseValue)})`; break;
    case 'Cast': k = `(cast ${e.dtype} ${exprKey(e.value)})`; break;
    case 'Call': k = `(${e.op}:${e.dtype} ${e.args.map(exprKey).join(' ')})`; break;
    case 'Ramp': k = `(ramp ${exprKey(e.base)} ${exprKey(e.stride)} ${e.lanes})`; break;
    case 'Broadcast': k = `(bcast ${exprKey(e.value)} ${e.lanes})`; break;
    case 'Let': k = `(let $${e.variable.id} ${exprKey(e.value)} ${exprKey(e.body)})`; break;
    case 'BufferLoad': k = `(load #${e.buffer.id} ${e.indices.map(exprKey).join(' ')})`; break;
    case 'ProducerLoad': k = `(pload ${e.producer.name} ${e.indices.map(exprKey).join(' ')})`; break;
    case 'Reduce': k = `(reduce ${e.combiner} ${e.axis.map((a) => `$${a.variable.id}`).join(' ')} ${exprKey(e.source)} ${exprKey(e.condition)})`; break;
  }
  keys.set(e, k);
  return k;
}

/**
 * Whether two expressions are the same computation on the same variables and buffers — what
 * equal exprKeys mean — decided by a walk that stops at the first difference, without building
 * strings (exprKey of a large value tree is costly).
 */
export function sameExpr(a: PrimExpr, b: PrimExpr): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.dtype !== b.dtype) return false;
  switch (a.kind) {
    case 'IntImm':
    case 'FloatImm':
      return Object.is(a.value, (b as typeof a).value);
    case 'Var':
      return false;
    case 'BinaryOp':
    case 'CompareOp':
    case 'LogicalOp': {
      const y = b as typeof a;
      return a.op === y.op && sameExpr(a.a, y.a) && sameExpr(a.b, y.b);
    }
    case 'Not':
      return sameExpr(a.a, (b as typeof a).a);
    case 'Select': {
      const y = b as typeof a;
      return sameExpr(a.condition, y.condition) && sameExpr(a.trueValue, y.trueValue) && sameExpr(a.falseValue, y.falseValue);
    }
    case 'Cast':
      return sameExpr(a.value, (b as typeof a).value);
    case 'Call': {
      const y = b as typeof a;
      return a.op === y.op && sameList(a.args, y.args);
    }
    case 'Ramp': {
      const y = b as typeof a;
      return a.lanes === y.lanes && sameExpr(a.base, y.base) && sameExpr(a.stride, y.stride);
    }
    case 'Broadcast': {
      const y = b as typeof a;
      return a.lanes === y.lanes && sameExpr(a.value, y.value);
    }
    case 'Let': {
      const y = b as typeof a;
      return a.variable === y.variable && sameExpr(a.value, y.value) && sameExpr(a.body, y.body);
    }
    case 'BufferLoad': {
      const y = b as typeof a;
      return a.buffer.id === y.buffer.id && sameList(a.indices, y.indices);
    }
    case 'ProducerLoad': {
      const y = b as typeof a;
      return a.producer === y.producer && sameList(a.indices, y.indices);
    }
    case 'Reduce':
      return exprKey(a) === exprKey(b);
  }
}

function sameList(a: readonly PrimExpr[], b: readonly PrimExpr[]): boolean {
  return a.length === b.length && a.every((x, i) => sameExpr(x, b[i]!));
}

export function linConst(c: number): Linear {
  return { terms: new Map(), c };
}

export function linAtom(atom: PrimExpr): Linear {
  return { terms: new Map([[exprKey(atom), { atom, coeff: 1 }]]), c: 0 };
}

/** a + scale·b */
export function linAdd(a: Linear, b: Linear, scale = 1): Linear {
  const terms = new Map(a.terms);
  for (const [k, t] of b.terms) {
    const coeff = (terms.get(k)?.coeff ?? 0) + scale * t.coeff;
    if (coeff === 0) terms.delete(k);
    else terms.set(k, { atom: t.atom, coeff });
  }
  return { terms, c: a.c + scale * b.c };
}

export function linScale(a: Linear, s: number): Linear {
  if (s === 0) return linConst(0);
  const terms = new Map<string, Term>();
  for (const [k, t] of a.terms) terms.set(k, { atom: t.atom, coeff: t.coeff * s });
  return { terms, c: a.c * s };
}

export function isConstLin(a: Linear): boolean {
  return a.terms.size === 0;
}

/**
 * The stable order of terms: larger |coefficient| first (outer loop strides before inner),
 * then plain variables by creation order, then other atoms by key.
 */
export function orderedTerms(a: Linear): Term[] {
  return [...a.terms.entries()].sort(([ka, ta], [kb, tb]) => {
    const d = Math.abs(tb.coeff) - Math.abs(ta.coeff);
    if (d !== 0) return d;
    const va = ta.atom.kind === 'Var' ? ta.atom.id : Infinity;
    const vb = tb.atom.kind === 'Var' ? tb.atom.id : Infinity;
    if (va !== vb) return va - vb;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }).map(([, t]) => t);
}

function scaled(t: Term, coeff: number): PrimExpr {
  return coeff === 1 ? t.atom : mul(t.atom, intImm(coeff));
}

/** Rebuilds an expression: positive terms summed, negative ones subtracted, constant last. */
export function linToExpr(a: Linear): PrimExpr {
  const ts = orderedTerms(a);
  const pos = ts.filter((t) => t.coeff > 0);
  const neg = ts.filter((t) => t.coeff < 0);
  let acc: PrimExpr | undefined;
  for (const t of pos) acc = acc ? add(acc, scaled(t, t.coeff)) : scaled(t, t.coeff);
  if (!acc && neg.length > 0 && a.c !== 0) {
    acc = intImm(a.c);
    for (const t of neg) acc = sub(acc, scaled(t, -t.coeff));
    return acc;
  }
  for (const t of neg) acc = acc ? sub(acc, scaled(t, -t.coeff)) : scaled(t, t.coeff);
  if (!acc) return intImm(a.c);
  if (a.c > 0) return add(acc, intImm(a.c));
  if (a.c < 0) return sub(acc, intImm(-a.c));
  return acc;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
