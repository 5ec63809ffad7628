// tir/arith/simplify_expr.ts — the expression simplifier: constant folding, canonical affine
// form of int32 index arithmetic, floordiv/floormod and min/max rules decided by variable
// bounds, comparisons decided by constant bounds, and the Ramp/Broadcast algebra.

import {
  binary, broadcast, cast, compare, constant, floatImm, floordiv, floormod, intImm, isBool, isFloat, isInt, lanesOf,
  letExpr, not, ramp, select,
  type BinaryOp, type CompareOp, type CompareOpName, type PrimExpr, type Range, type Var,
} from '../nodes.js';
import { boundAnalyzer, type IntBound, type VarRanges } from './int_bound.js';
import { simplifyDiv, simplifyMod, type DivModContext } from './div_mod.js';
import { mergeDivMod } from './merge_div_mod.js';
import { exprKey, isConstLin, sameExpr, linAdd, linAtom, linConst, linScale, linToExpr, type Linear } from './linear.js';

const TRUE = intImm(1, 'bool');
const FALSE = intImm(0, 'bool');

function isIntScalar(e: PrimExpr): boolean {
  return e.dtype === 'int32';
}

function floatFold(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'min': return Math.min(a, b);
    case 'max': return Math.max(a, b);
    default: return undefined;
  }
}

const FLIP: Readonly<Record<CompareOpName, CompareOpName>> = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le', eq: 'eq', ne: 'ne' };
const NEGATE: Readonly<Record<CompareOpName, CompareOpName>> = { lt: 'ge', le: 'gt', gt: 'le', ge: 'lt', eq: 'ne', ne: 'eq' };

/** Decides `d op 0` from bounds of d, or undefined. */
function decide(op: CompareOpName, d: IntBound): boolean | undefined {
  switch (op) {
    case 'lt': return d.max < 0 ? true : d.min >= 0 ? false : undefined;
    case 'le': return d.max <= 0 ? true : d.min > 0 ? false : undefined;
    case 'gt': return d.min > 0 ? true : d.max <= 0 ? false : undefined;
    case 'ge': return d.min >= 0 ? true : d.max < 0 ? false : undefined;
    case 'eq': return d.min === 0 && d.max === 0 ? true : d.min > 0 || d.max < 0 ? false : undefined;
    case 'ne': return d.min === 0 && d.max === 0 ? false : d.min > 0 || d.max < 0 ? true : undefined;
  }
}

/**
 * A simplifier bound to a (mutable) map of variable ranges. Callers that walk loop nests add
 * and remove ranges as they enter and leave loops; `simplify` reads the map live.
 */
export class Simplifier implements DivModContext {
  readonly bound: (e: PrimExpr) => IntBound;
  private cache = new Map<PrimExpr, PrimExpr>();

  constructor(readonly ranges: Map<Var, Range> = new Map()) {
    this.bound = boundAnalyzer(ranges);
  }

  /** Runs `fn` with `v` ∈ range (restoring the outer range, if any, afterwards). */
  withRange<T>(v: Var, r: Range, fn: () => T): T {
    const outer = this.ranges.get(v);
    this.ranges.set(v, r);
    this.cache = new Map();
    try {
      return fn();
    } finally {
      if (outer) this.ranges.set(v, outer);
      else this.ranges.delete(v);
      this.cache = new Map();
    }
  }

  simplify(e: PrimExpr): PrimExpr {
    const hit = this.cache.get(e);
    if (hit) return hit;
    let out = this.rewrite(e);
    // Keep the input object when nothing changed, so callers can test identity.
    if (out !== e && sameExpr(out, e)) out = e;
    this.cache.set(e, out);
    this.cache.set(out, out);
    return out;
  }

  /** True when `cond` simplifies to the constant true under the current ranges. */
  prove(cond: PrimExpr): boolean {
    const s = this.simplify(cond);
    return s.kind === 'IntImm' && s.value === 1;
  }

  /** The canonical affine form of an int32 scalar expression (atoms are simplified). */
  linear(e: PrimExpr): Linear {
    switch (e.kind) {
      case 'IntImm':
        return linConst(e.value);
      case 'BinaryOp':
        if (e.op === 'add') return linAdd(this.linear(e.a), this.linear(e.b));
        if (e.op === 'sub') return linAdd(this.linear(e.a), this.linear(e.b), -1);
        if (e.op === 'mul') {
          const a = this.linear(e.a);
          const b = this.linear(e.b);
          if (isConstLin(a)) return linScale(b, a.c);
          if (isConstLin(b)) return linScale(a, b.c);
          // A product of two non-constants is an atom; order its operands so a·b ≡ b·a.
          const [x, y] = [linToExpr(a), linToExpr(b)].sort((p, q) => (exprKey(p) < exprKey(q) ? -1 : 1));
          return linAtom(binary('mul', x!, y!));
        }
        break;
      default:
        break;
    }
    const s = this.simplify(e);
    if (s.kind === 'IntImm') return linConst(s.value);
    if (s !== e && s.kind === 'BinaryOp' && (s.op === 'add' || s.op === 'sub' || s.op === 'mul')) return this.linear(s);
    return linAtom(s);
  }

  /** The canonical expression of an int32 scalar expression. */
  canonical(e: PrimExpr): PrimExpr {
    return linToExpr(mergeDivMod(this.linear(e), (x) => this.linear(x)));
  }

  private rewrite(e: PrimExpr): PrimExpr {
    switch (e.kind) {
      case 'IntImm':
      case 'FloatImm':
        return e;
      case 'Var': {
        const r = this.ranges.get(e);
        // A variable whose range holds one value is that value.
        if (r && r.extent.kind === 'IntImm' && r.extent.value === 1) return this.simplify(r.min);
        return e;
      }
      case 'BinaryOp':
        return this.binaryOp(e);
      case 'CompareOp':
        return this.compareOp(e);
      case 'LogicalOp': {
        const a = this.simplify(e.a);
        const b = this.simplify(e.b);
        if (lanesOf(e.dtype) === 1) {
          const ca = a.kind === 'IntImm' ? a.value : undefined;
          const cb = b.kind === 'IntImm' ? b.value : undefined;
          if (e.op === 'and') {
            if (ca === 0 || cb === 0) return FALSE;
            if (ca === 1) return b;
            if (cb === 1) return a;
          } else {
            if (ca === 1 || cb === 1) return TRUE;
            if (ca === 0) return b;
            if (cb === 0) return a;
          }
          if (sameExpr(a, b)) return a;
        }
        return a === e.a && b === e.b ? e : { ...e, a, b };
      }
      case 'Not': {
        const a = this.simplify(e.a);
        if (a.kind === 'IntImm') return a.value ? FALSE : TRUE;
        if (a.kind === 'Not') return a.a;
        if (a.kind === 'CompareOp') return compare(NEGATE[a.op], a.a, a.b);
        return a === e.a ? e : not(a);
      }
      case 'Select': {
        const c = this.simplify(e.condition);
        const t = this.simplify(e.trueValue);
        const f = this.simplify(e.falseValue);
        if (c.kind === 'IntImm') return c.value ? t : f;
        if (sameExpr(t, f)) return t;
        return c === e.condition && t === e.trueValue && f === e.falseValue ? e : select(c, t, f);
      }
      case 'Cast': {
        const v = this.simplify(e.value);
        if ((v.kind === 'IntImm' || v.kind === 'FloatImm') && lanesOf(e.dtype) === 1) {
          if (isFloat(e.dtype)) return floatImm(v.value, e.dtype);
          if (isBool(e.dtype)) return intImm(v.value !== 0 ? 1 : 0, 'bool');
          if (Number.isFinite(v.value)) return intImm(Math.trunc(v.value), e.dtype);
        }
        return v === e.value ? e : cast(e.dtype, v);
      }
      case 'Call': {
        const args = e.args.map((a) => this.simplify(a));
        // A lazy conditional with a known condition is its arm (the other is never evaluated).
        if (e.op === 'tir.if_then_else' && args[0]!.kind === 'IntImm') return args[0]!.value ? args[1]! : args[2]!;
        return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
      }
      case 'Ramp': {
        const base = this.simplify(e.base);
        const stride = this.simplify(e.stride);
        if (stride.kind === 'IntImm' && stride.value === 0) return broadcast(base, e.lanes);
        return base === e.base && stride === e.stride ? e : ramp(base, stride, e.lanes);
      }
      case 'Broadcast': {
        const v = this.simplify(e.value);
        return v === e.value ? e : broadcast(v, e.lanes);
      }
      case 'Let': {
        const value = this.simplify(e.value);
        const body = this.simplify(e.body);
        return value === e.value && body === e.body ? e : letExpr(e.variable, value, body);
      }
      case 'BufferLoad':
      case 'ProducerLoad': {
        const indices = e.indices.map((i) => this.simplify(i));
        return indices.every((x, i) => x === e.indices[i]) ? e : { ...e, indices };
      }
      case 'Reduce': {
        let source = e.source;
        let condition = e.condition;
        const inner = (k: number): void => {
          if (k === e.axis.length) {
            source = this.simplify(e.source);
            condition = this.simplify(e.condition);
            return;
          }
          this.withRange(e.axis[k]!.variable, e.axis[k]!.dom, () => inner(k + 1));
        };
        inner(0);
        return source === e.source && condition === e.condition ? e : { ...e, source, condition };
      }
    }
  }

  private binaryOp(e: BinaryOp): PrimExpr {
    if (isIntScalar(e) && (e.op === 'add' || e.op === 'sub' || e.op === 'mul')) return this.canonical(e);
    const a = this.simplify(e.a);
    const b = this.simplify(e.b);
    if (isIntScalar(e)) {
      switch (e.op) {
        case 'floordiv':
        case 'div':
          return simplifyDiv(this, e.op, a, b);
        case 'floormod':
        case 'mod':
          return simplifyMod(this, e.op, a, b);
        case 'min':
        case 'max':
          return this.minMax(e.op, a, b);
        default:
          break;
      }
    }
    if (lanesOf(e.dtype) > 1) {
      const v = this.vectorOp(e.op, a, b);
      if (v) return v;
    }
    if (a.kind === 'FloatImm' && b.kind === 'FloatImm') {
      const v = floatFold(e.op, a.value, b.value);
      if (v !== undefined) return floatImm(v, e.dtype);
    }
    if (isFloat(e.dtype) && (e.op === 'mul' || e.op === 'div') && b.kind === 'FloatImm' && b.value === 1) return a;
    if (isFloat(e.dtype) && e.op === 'mul' && a.kind === 'FloatImm' && a.value === 1) return b;
    return a === e.a && b === e.b ? e : binary(e.op, a, b);
  }

  private minMax(op: 'min' | 'max', a: PrimExpr, b: PrimExpr): PrimExpr {
    const d = this.bound(this.canonical(binary('sub', a, b)));
    if (d.max <= 0) return op === 'min' ? a : b;
    if (d.min >= 0) return op === 'min' ? b : a;
    const [x, y] = exprKey(a) <= exprKey(b) ? [a, b] : [b, a];
    return binary(op, x, y);
  }

  /** The Ramp/Broadcast algebra: keeps vector index arithmetic as one Ramp where possible. */
  private vectorOp(op: BinaryOp['op'], a: PrimExpr, b: PrimExpr): PrimExpr | undefined {
    const lanes = lanesOf(a.dtype);
    if (a.kind === 'Broadcast' && b.kind === 'Broadcast') return broadcast(this.simplify(binary(op, a.value, b.value)), lanes);
    if (!isInt(a.dtype)) return undefined;
    const s = (x: PrimExpr): PrimExpr => this.simplify(x);
    if (op === 'add' || op === 'sub') {
      if (a.kind === 'Ramp' && b.kind === 'Ramp') return this.rampOrBroadcast(s(binary(op, a.base, b.base)), s(binary(op, a.stride, b.stride)), lanes);
      if (a.kind === 'Ramp' && b.kind === 'Broadcast') return ramp(s(binary(op, a.base, b.value)), a.stride, lanes);
      if (a.kind === 'Broadcast' && b.kind === 'Ramp') {
        const stride = op === 'add' ? b.stride : s(binary('sub', intImm(0), b.stride));
        return this.rampOrBroadcast(s(binary(op, a.value, b.base)), stride, lanes);
      }
    }
    if (op === 'mul') {
      if (a.kind === 'Ramp' && b.kind === 'Broadcast') return this.rampOrBroadcast(s(binary('mul', a.base, b.value)), s(binary('mul', a.stride, b.value)), lanes);
      if (a.kind === 'Broadcast' && b.kind === 'Ramp') return this.rampOrBroadcast(s(binary('mul', a.value, b.base)), s(binary('mul', a.value, b.stride)), lanes);
    }
    if ((op === 'floordiv' || op === 'floormod') && a.kind === 'Ramp' && b.kind === 'Broadcast' && b.value.kind === 'IntImm') {
      // All lanes fall in one block of c when base mod c + stride·(lanes-1) < c.
      const c = b.value.value;
      const st = this.bound(a.stride);
      if (c > 0 && st.min >= 0) {
        const first = this.bound(this.simplify(floormod(a.base, b.value)));
        if (first.max + st.max * (lanes - 1) < c) {
          return op === 'floordiv'
            ? broadcast(this.simplify(floordiv(a.base, b.value)), lanes)
            : ramp(this.simplify(floormod(a.base, b.value)), a.stride, lanes);
        }
      }
    }
    return undefined;
  }

  private rampOrBroadcast(base: PrimExpr, stride: PrimExpr, lanes: number): PrimExpr {
    return stride.kind === 'IntImm' && stride.value === 0 ? broadcast(base, lanes) : ramp(base, stride, lanes);
  }

  private compareOp(e: CompareOp): PrimExpr {
    const a = this.simplify(e.a);
    const b = this.simplify(e.b);
    if (!isIntScalar(a)) {
      if (a.kind === 'FloatImm' && b.kind === 'FloatImm') {
        return constant(compareNumbers(e.op, a.value, b.value) ? 1 : 0, 'bool');
      }
      return a === e.a && b === e.b ? e : compare(e.op, a, b);
    }
    let d = linAdd(this.linear(a), this.linear(b), -1);
    const known = decide(e.op, this.bound(linToExpr(d)));
    if (known !== undefined) return known ? TRUE : FALSE;
    // Canonical form: positive terms on the left, the rest (and the constant) on the right.
    let op = e.op;
    if (![...d.terms.values()].some((t) => t.coeff > 0)) {
      d = linScale(d, -1);
      op = FLIP[op];
    }
    const lhs = new Map([...d.terms].filter(([, t]) => t.coeff > 0));
    const rhs = new Map([...d.terms].filter(([, t]) => t.coeff < 0).map(([k, t]) => [k, { atom: t.atom, coeff: -t.coeff }]));
    return compare(op, linToExpr({ terms: lhs, c: 0 }), linToExpr({ terms: rhs, c: -d.c }));
  }
}

function compareNumbers(op: CompareOpName, a: number, b: number): boolean {
  switch (op) {
    case 'lt': return a < b;
    case 'le': return a <= b;
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'eq': return a === b;
    case 'ne': return a !== b;
  }
}

/** Simplifies an expression, given optional ranges of the variables in it. */
export function simplifyExpr(e: PrimExpr, ranges?: VarRanges): PrimExpr {
  return new Simplifier(new Map(ranges ?? [])).simplify(e);
}

/** True when `cond` is provably true for every value of the variables in their ranges. */
export function proveTrue(cond: PrimExpr, ranges?: VarRanges): boolean {
  return new Simplifier(new Map(ranges ?? [])).prove(cond);
}
