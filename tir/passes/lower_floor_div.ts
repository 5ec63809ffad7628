// tir/passes/lower_floor_div.ts — floordiv/floormod of an int32 proven ≥ 0 by a positive constant
// become the truncating div/mod, which every target emits as one instruction: floor division needs
// a remainder test and a fix-up (WGSL: a helper call with a select; wasm: six more instructions),
// and the index arithmetic of fused, cooperatively fetched tiles is full of them. As TVM's
// LowerIntrin (src/tir/transforms/lower_intrin.cc, VisitExpr_(FloorDivNode): truncdiv when the
// analyzer proves the dividend non-negative and the divisor a positive constant).

import type { IntBound } from '../arith/int_bound.js';
import { Simplifier } from '../arith/simplify_expr.js';
import { mapBody, StmtExprMutator } from '../functor.js';
import { binary, range, type PrimExpr, type PrimFunc, type Range, type Stmt, type Var } from '../nodes.js';

class FloorDivLowerer extends StmtExprMutator {
  /** Only for its scoped variable ranges and their bound analyzer (no expression is simplified here). */
  private readonly analyzer = new Simplifier();

  /**
   * Runs `fn` with `v` ∈ `r` (the analyzer restores an outer range afterwards). With no range known,
   * `v` is unbounded inside: a let that rebinds an outer loop's variable hides that loop's range.
   */
  private withRange<T>(v: Var, r: Range | undefined, fn: () => T): T {
    if (r !== undefined) return this.analyzer.withRange(v, r, fn);
    const outer = this.analyzer.ranges.get(v);
    if (outer === undefined) return fn();
    this.analyzer.ranges.delete(v);
    try {
      return fn();
    } finally {
      this.analyzer.ranges.set(v, outer);
    }
  }

  private bound(e: PrimExpr): IntBound {
    return this.analyzer.bound(e);
  }

  /** The range of an int32 let's value, when the analyzer bounds it on both sides. */
  private letRange(value: PrimExpr): Range | undefined {
    if (value.dtype !== 'int32') return undefined;
    const b = this.bound(value);
    return Number.isFinite(b.min) && Number.isFinite(b.max) ? range(b.min, b.max - b.min + 1) : undefined;
  }

  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind === 'Let') return this.withRange(e.variable, this.letRange(e.value), () => super.mutateExpr(e));
    const m = super.mutateExpr(e);
    if (m.kind !== 'BinaryOp' || (m.op !== 'floordiv' && m.op !== 'floormod') || m.dtype !== 'int32') return m;
    // Powers of two stay: the emitters make those a shift or a mask, cheaper than any division.
    if (m.b.kind !== 'IntImm' || m.b.value <= 0 || (m.b.value & (m.b.value - 1)) === 0) return m;
    // The bound of the original dividend (the analyzer knows floordiv as well as div; same value).
    if (e.kind !== 'BinaryOp' || this.bound(e.a).min < 0) return m;
    return binary(m.op === 'floordiv' ? 'div' : 'mod', m.a, m.b);
  }

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind === 'For') return this.withRange(s.loopVar, range(s.min, s.extent), () => super.mutateStmt(s));
    if (s.kind === 'LetStmt') return this.withRange(s.variable, this.letRange(s.value), () => super.mutateStmt(s));
    return super.mutateStmt(s);
  }
}

/** `s` with every provably non-negative scalar int32 floordiv/floormod by a positive constant (not a power of two) made truncating. */
export function lowerFloorDivStmt(s: Stmt): Stmt {
  return new FloorDivLowerer().mutateStmt(s);
}

/** tir.lowerFloorDiv as a PrimFunc pass. */
export function lowerFloorDiv(f: PrimFunc): PrimFunc {
  return mapBody(f, lowerFloorDivStmt);
}
