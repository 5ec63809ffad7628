// tir/arith/int_bound.ts — constant integer bounds of int32 index expressions by interval
// arithmetic, given the ranges of the variables in scope (loop variables, mostly).

import { isBool, isInt, type PrimExpr, type Range, type Var } from '../nodes.js';

/** Inclusive bounds; ±Infinity when unknown. */
export interface IntBound {
  readonly min: number;
  readonly max: number;
}

/** Ranges of variables: v ∈ [min, min + extent). Loop variables get their loop's range. */
export type VarRanges = ReadonlyMap<Var, Range>;

export const EVERYTHING: IntBound = { min: -Infinity, max: Infinity };

function bound(min: number, max: number): IntBound {
  return { min, max };
}

/** Product that treats 0 × ∞ as 0 (a zero factor bounds the product, whatever the other is). */
function mulSafe(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

function mulBounds(a: IntBound, b: IntBound): IntBound {
  const c = [mulSafe(a.min, b.min), mulSafe(a.min, b.max), mulSafe(a.max, b.min), mulSafe(a.max, b.max)];
  return bound(Math.min(...c), Math.max(...c));
}

/** floor(a / b) or trunc(a / b) for b an interval that excludes zero. */
function divBounds(a: IntBound, b: IntBound, round: (x: number) => number): IntBound {
  if (b.min <= 0 && b.max >= 0) return EVERYTHING;
  const q = (x: number, y: number): number => {
    if (!Number.isFinite(y)) return Number.isFinite(x) ? 0 : Math.sign(x) * Math.sign(y) * Infinity;
    return Number.isFinite(x) ? round(x / y) : x / y;
  };
  const c = [q(a.min, b.min), q(a.min, b.max), q(a.max, b.min), q(a.max, b.max)];
  return bound(Math.min(...c), Math.max(...c));
}

function floormodBounds(a: IntBound, b: IntBound): IntBound {
  if (b.min > 0) {
    // Already inside [0, divisor): the value is unchanged.
    if (a.min >= 0 && a.max < b.min) return a;
    // A constant divisor and a dividend within one period [q·c, (q+1)·c): a shift by q·c.
    if (b.min === b.max && Number.isFinite(a.min) && Number.isFinite(a.max)) {
      const q = Math.floor(a.min / b.min);
      if (Math.floor(a.max / b.min) === q) return bound(a.min - q * b.min, a.max - q * b.min);
    }
    return bound(0, b.max - 1);
  }
  if (b.max < 0) return bound(b.min + 1, 0);
  return EVERYTHING;
}

function truncmodBounds(a: IntBound, b: IntBound): IntBound {
  const m = Math.max(Math.abs(b.min), Math.abs(b.max)) - 1;
  if (a.min >= 0) return bound(0, Math.min(a.max, m));
  if (a.max <= 0) return bound(Math.max(a.min, -m), 0);
  return bound(Math.max(a.min, -m), Math.min(a.max, m));
}

class BoundAnalyzer {
  private readonly lets = new Map<Var, IntBound>();
  private readonly visiting = new Set<Var>();

  constructor(private readonly ranges: VarRanges) {}

  private varBound(v: Var): IntBound {
    const l = this.lets.get(v);
    if (l) return l;
    const r = this.ranges.get(v);
    if (!r || this.visiting.has(v)) return EVERYTHING;
    this.visiting.add(v);
    const lo = this.of(r.min);
    const ext = this.of(r.extent);
    this.visiting.delete(v);
    return bound(lo.min, lo.max + ext.max - 1);
  }

  of(e: PrimExpr): IntBound {
    if (isBool(e.dtype)) return e.kind === 'IntImm' ? bound(e.value, e.value) : bound(0, 1);
    if (!isInt(e.dtype)) return EVERYTHING;
    switch (e.kind) {
      case 'IntImm':
        return bound(e.value, e.value);
      case 'Var':
        return this.varBound(e);
      case 'BinaryOp': {
        const a = this.of(e.a);
        const b = this.of(e.b);
        switch (e.op) {
          case 'add': return bound(a.min + b.min, a.max + b.max);
          case 'sub': return bound(a.min - b.max, a.max - b.min);
          case 'mul': return mulBounds(a, b);
          case 'floordiv': return divBounds(a, b, Math.floor);
          case 'div': return divBounds(a, b, Math.trunc);
          case 'floormod': return floormodBounds(a, b);
          case 'mod': return truncmodBounds(a, b);
          case 'min': return bound(Math.min(a.min, b.min), Math.min(a.max, b.max));
          case 'max': return bound(Math.max(a.min, b.min), Math.max(a.max, b.max));
        }
        return EVERYTHING;
      }
      case 'Select': {
        const t = this.of(e.trueValue);
        const f = this.of(e.falseValue);
        return bound(Math.min(t.min, f.min), Math.max(t.max, f.max));
      }
      case 'Cast':
        return isInt(e.value.dtype) || isBool(e.value.dtype) ? this.of(e.value) : EVERYTHING;
      case 'Let': {
        const outer = this.lets.get(e.variable);
        this.lets.set(e.variable, this.of(e.value));
        const b = this.of(e.body);
        if (outer) this.lets.set(e.variable, outer);
        else this.lets.delete(e.variable);
        return b;
      }
      case 'Ramp': {
        const base = this.of(e.base);
        const span = mulBounds(this.of(e.stride), bound(0, e.lanes - 1));
        return bound(base.min + span.min, base.max + span.max);
      }
      case 'Broadcast':
        return this.of(e.value);
      case 'Call':
        if (e.op === 'abs') {
          const a = this.of(e.args[0]!);
          if (a.min >= 0) return a;
          return bound(a.max <= 0 ? -a.max : 0, Math.max(-a.min, a.max));
        }
        return EVERYTHING;
      default:
        return EVERYTHING;
    }
  }
}

/**
 * Inclusive constant bounds of an int32 expression when each variable in `ranges` lies in its
 * range; variables without a range are unbounded. Overflow is ignored (as TVM does): index
 * expressions are assumed to stay within int32.
 */
export function constIntBound(e: PrimExpr, ranges: VarRanges = new Map()): IntBound {
  return new BoundAnalyzer(ranges).of(e);
}

/** An analyzer for many queries; it reads `ranges` live, so a caller may keep changing that map. */
export function boundAnalyzer(ranges: VarRanges): (e: PrimExpr) => IntBound {
  const a = new BoundAnalyzer(ranges);
  return (e) => a.of(e);
}
