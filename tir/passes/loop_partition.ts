// tir/passes/loop_partition.ts — splits a loop whose body holds a guard on its variable into a
// main part where the guard is provably true (so simplify deletes it, and inner loops can
// vectorize) and a head or tail part that keeps it. Outer loops are tried first: the guard of a
// non-divisible split `xo*16 + xi < 100` splits xo, leaving one guarded tail iteration. A Select
// condition on a vectorized loop's variable counts too: an inlined padding
// `select(x >= 1 && …, X[max(x - 1, 0)], 0)` leaves an interior where the select and the clamps
// fold away and the reads become affine, so the loop vectorizes.

import { mapBody } from '../functor.js';
import { forLoop, ifThenElse, lanesOf, noOp, range, seq, type For, type PrimExpr, type PrimFunc, type Range, type Stmt, type Var } from '../nodes.js';
import { Simplifier } from '../arith/simplify_expr.js';
import { isNoOp } from './remove_no_op.js';
import { simplifyStmt } from './simplify.js';
import { exprUses, forEachSelect } from './ir_query.js';
import { exprKey } from '../arith/linear.js';

/** A guard found in a loop body, with the ranges of the loops between the loop and the guard. */
interface Guard {
  readonly cond: PrimExpr;
  readonly inner: readonly (readonly [Var, Range])[];
}

function conjuncts(c: PrimExpr): PrimExpr[] {
  return c.kind === 'LogicalOp' && c.op === 'and' ? [...conjuncts(c.a), ...conjuncts(c.b)] : [c];
}

/**
 * Conditions of the Selects in `e` (a padded read `select(x >= 1 && …, X[max(x - 1, 0)], 0)`)
 * that depend on an enclosing vectorized loop's variable: only those block vectorization (the
 * clamped read is not affine in it), so only those are worth the extra code of a cut.
 */
function selectGuards(e: PrimExpr, inner: (readonly [Var, Range])[], vectorVars: ReadonlySet<Var>, out: Guard[]): void {
  if (vectorVars.size === 0 || !exprUses(e, (v) => vectorVars.has(v))) return;
  forEachSelect(e, (x) => {
    if (lanesOf(x.condition.dtype) !== 1) return;
    for (const c of conjuncts(x.condition)) {
      if (exprUses(c, (v) => vectorVars.has(v))) out.push({ cond: c, inner });
    }
  });
}

function collectGuards(s: Stmt, inner: (readonly [Var, Range])[], out: Guard[], vectorVars: ReadonlySet<Var> = new Set()): void {
  switch (s.kind) {
    case 'For': {
      const vv = s.forKind === 'vectorized' ? new Set([...vectorVars, s.loopVar]) : vectorVars;
      collectGuards(s.body, [...inner, [s.loopVar, range(s.min, s.extent)]], out, vv);
      return;
    }
    case 'IfThenElse':
      for (const c of conjuncts(s.condition)) out.push({ cond: c, inner });
      collectGuards(s.thenCase, inner, out, vectorVars);
      if (s.elseCase) collectGuards(s.elseCase, inner, out, vectorVars);
      return;
    case 'SeqStmt':
      for (const c of s.seq) collectGuards(c, inner, out, vectorVars);
      return;
    case 'LetStmt':
      selectGuards(s.value, inner, vectorVars, out);
      collectGuards(s.body, inner, out, vectorVars);
      return;
    case 'Allocate':
      collectGuards(s.body, inner, out, vectorVars);
      return;
    case 'BufferStore':
      selectGuards(s.value, inner, vectorVars, out);
      for (const i of s.indices) selectGuards(i, inner, vectorVars, out);
      return;
    case 'Evaluate':
      return;
  }
}

/** How many pieces one loop may be cut into, so a loop with many guards stays small. */
const MAX_CUTS = 2;

class Partitioner {
  private readonly ranges = new Map<Var, Range>();

  /** Whether `cond` holds for every v in [lo, lo + n) and every inner-loop value. */
  private holds(g: Guard, v: Var, lo: number, n: number): boolean {
    const s = new Simplifier(new Map(this.ranges));
    s.ranges.set(v, range(lo, n));
    for (const [iv, r] of g.inner) s.ranges.set(iv, r);
    return s.prove(g.cond);
  }

  /** Largest k in [0, n] with the guard true on the first k (or, `fromEnd`, last k) values. */
  private provenSpan(g: Guard, v: Var, m: number, n: number, fromEnd: boolean): number {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const k = Math.ceil((lo + hi) / 2);
      const ok = fromEnd ? this.holds(g, v, m + n - k, k) : this.holds(g, v, m, k);
      if (ok) lo = k;
      else hi = k - 1;
    }
    return lo;
  }

  /** The cut point giving the largest guard-free part, or undefined. */
  private cutPoint(loop: For, m: number, n: number): number | undefined {
    const guards: Guard[] = [];
    collectGuards(loop.body, [], guards);
    let best: { at: number; size: number } | undefined;
    const seen = new Set<string>();
    for (const g of guards) {
      if (!exprUses(g.cond, (v) => v === loop.loopVar)) continue;
      // The same condition under the same inner loops decides the same cut.
      const key = `${exprKey(g.cond)}|${g.inner.map(([v, r]) => `${v.id}:${exprKey(r.min)}:${exprKey(r.extent)}`).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const head = this.provenSpan(g, loop.loopVar, m, n, false);
      if (head > 0 && head < n && (!best || head > best.size)) best = { at: m + head, size: head };
      const tail = this.provenSpan(g, loop.loopVar, m, n, true);
      if (tail > 0 && tail < n && (!best || tail > best.size)) best = { at: m + n - tail, size: tail };
    }
    return best?.at;
  }

  visit(s: Stmt): Stmt {
    switch (s.kind) {
      case 'For':
        return this.forLoop(s, MAX_CUTS);
      case 'SeqStmt': {
        const kids = s.seq.map((c) => this.visit(c));
        return kids.every((k, i) => k === s.seq[i]) ? s : seq(kids);
      }
      case 'IfThenElse': {
        const thenCase = this.visit(s.thenCase);
        const elseCase = s.elseCase ? this.visit(s.elseCase) : undefined;
        if (thenCase === s.thenCase && elseCase === s.elseCase) return s;
        return ifThenElse(s.condition, thenCase, elseCase);
      }
      case 'LetStmt':
      case 'Allocate': {
        const body = this.visit(s.body);
        return body === s.body ? s : { ...s, body };
      }
      case 'BufferStore':
      case 'Evaluate':
        return s;
    }
  }

  private inLoop<T>(loop: For, fn: () => T): T {
    const outer = this.ranges.get(loop.loopVar);
    this.ranges.set(loop.loopVar, range(loop.min, loop.extent));
    try {
      return fn();
    } finally {
      if (outer) this.ranges.set(loop.loopVar, outer);
      else this.ranges.delete(loop.loopVar);
    }
  }

  private forLoop(loop: For, cuts: number): Stmt {
    const m = loop.min.kind === 'IntImm' ? loop.min.value : undefined;
    const n = loop.extent.kind === 'IntImm' ? loop.extent.value : undefined;
    // Thread-bound loops keep their shape (launch sizes depend on it); a vectorized loop is cut
    // only into whole groups of 4 lanes, so its guard-free part stays a full-width vector.
    const splittable = loop.forKind !== 'threadBinding';
    let at = splittable && cuts > 0 && m !== undefined && n !== undefined && n > 1 ? this.cutPoint(loop, m, n) : undefined;
    if (at !== undefined && loop.forKind === 'vectorized' && ((at - m!) % 4 !== 0 || (m! + n! - at) % 4 !== 0)) at = undefined;
    if (at === undefined) {
      const body = this.inLoop(loop, () => this.visit(loop.body));
      return body === loop.body ? loop : { ...loop, body };
    }
    const opts = { threadTag: loop.threadTag, annotations: loop.annotations };
    const pieces = [forLoop(loop.loopVar, m!, at - m!, loop.forKind, loop.body, opts), forLoop(loop.loopVar, at, m! + n! - at, loop.forKind, loop.body, opts)];
    // Simplify each piece where it stands (deleting the guards now proven), then go on cutting.
    const out = pieces.map((p) => {
      const simplified = simplifyStmt(p, this.ranges);
      return simplified.kind === 'For' && simplified.loopVar === loop.loopVar ? this.forLoop(simplified, cuts - 1) : this.visit(simplified);
    }).filter((p) => !isNoOp(p));
    return out.length === 0 ? noOp() : seq(out);
  }
}

export function loopPartition(f: PrimFunc): PrimFunc {
  return mapBody(f, (b) => new Partitioner().visit(b));
}
