// tir/passes/simplify.ts — simplifies every expression with the ranges of the loops around it:
// folds constants, canonicalizes index arithmetic, removes guards proven true, drops branches
// proven false and loops that run once or never.

import { mapBody } from '../functor.js';
import {
  allocate, bufferStore, evaluate, forLoop, ifThenElse, letStmt, noOp, range, seq,
  type For, type PrimExpr, type PrimFunc, type Range, type Stmt, type Var,
} from '../nodes.js';
import { Simplifier } from '../arith/simplify_expr.js';
import { isNoOp } from './remove_no_op.js';
import { stmtUsesVar } from './ir_query.js';

function sameList(a: readonly PrimExpr[], b: readonly PrimExpr[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Narrows the range of a variable in the then-branch of a guard `v < e` (and the like, with e
 * a constant), so nested guards on the same variable fold too.
 */
function guardRanges(s: Simplifier, cond: PrimExpr): { v: Var; lo: number; hi: number }[] {
  if (cond.kind === 'LogicalOp' && cond.op === 'and') return meet([...guardRanges(s, cond.a), ...guardRanges(s, cond.b)]);
  if (cond.kind !== 'CompareOp' || cond.a.kind !== 'Var' || cond.b.kind !== 'IntImm' || cond.a.dtype !== 'int32') return [];
  const b = s.bound(cond.a);
  let lo = b.min;
  let hi = b.max;
  const c = cond.b.value;
  switch (cond.op) {
    case 'lt': hi = Math.min(hi, c - 1); break;
    case 'le': hi = Math.min(hi, c); break;
    case 'gt': lo = Math.max(lo, c + 1); break;
    case 'ge': lo = Math.max(lo, c); break;
    case 'eq': lo = c; hi = c; break;
    default: return [];
  }
  return Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi ? [{ v: cond.a, lo, hi }] : [];
}

/**
 * Joins the ranges of one variable from both sides of an `and` (`i >= 10 && i < 20` is [10, 19]):
 * each is applied with `withRange`, which replaces the variable's range, so without this the
 * last conjunct's range would undo the first's. An empty meet (a then-branch that never runs)
 * narrows nothing.
 */
function meet(rs: readonly { v: Var; lo: number; hi: number }[]): { v: Var; lo: number; hi: number }[] {
  const out = new Map<Var, { v: Var; lo: number; hi: number }>();
  for (const r of rs) {
    const o = out.get(r.v);
    out.set(r.v, o ? { v: r.v, lo: Math.max(o.lo, r.lo), hi: Math.min(o.hi, r.hi) } : r);
  }
  return [...out.values()].filter((r) => r.lo <= r.hi);
}

class StmtSimplifier {
  constructor(private readonly s: Simplifier) {}

  stmt(st: Stmt): Stmt {
    const s = this.s;
    switch (st.kind) {
      case 'For':
        return this.forLoop(st);
      case 'LetStmt': {
        const value = s.simplify(st.value);
        // A let of an int gets the bounds of its value, so guards on it can fold.
        const b = value.dtype === 'int32' ? s.bound(value) : undefined;
        const visit = (): Stmt => this.stmt(st.body);
        const body = b && Number.isFinite(b.min) && Number.isFinite(b.max)
          ? s.withRange(st.variable, range(b.min, b.max - b.min + 1), visit) : visit();
        return value === st.value && body === st.body ? st : letStmt(st.variable, value, body);
      }
      case 'IfThenElse': {
        const cond = s.simplify(st.condition);
        if (cond.kind === 'IntImm') return cond.value ? this.stmt(st.thenCase) : st.elseCase ? this.stmt(st.elseCase) : noOp();
        const narrowed = guardRanges(s, cond);
        const then = (k: number): Stmt => k === narrowed.length
          ? this.stmt(st.thenCase)
          : s.withRange(narrowed[k]!.v, range(narrowed[k]!.lo, narrowed[k]!.hi - narrowed[k]!.lo + 1), () => then(k + 1));
        const thenCase = then(0);
        const elseCase = st.elseCase ? this.stmt(st.elseCase) : undefined;
        if (cond === st.condition && thenCase === st.thenCase && elseCase === st.elseCase) return st;
        return ifThenElse(cond, thenCase, elseCase);
      }
      case 'SeqStmt': {
        const kids = st.seq.map((c) => this.stmt(c));
        if (kids.every((k, i) => k === st.seq[i])) return st;
        const live = kids.filter((k) => !isNoOp(k));
        return live.length === 0 ? noOp() : seq(live);
      }
      case 'BufferStore': {
        const value = s.simplify(st.value);
        const indices = st.indices.map((i) => s.simplify(i));
        return value === st.value && sameList(indices, st.indices) ? st : bufferStore(st.buffer, value, indices);
      }
      case 'Allocate': {
        const body = this.stmt(st.body);
        return body === st.body ? st : allocate(st.buffer, body);
      }
      case 'Evaluate': {
        const v = s.simplify(st.value);
        return v === st.value ? st : evaluate(v);
      }
    }
  }

  private forLoop(st: For): Stmt {
    const s = this.s;
    const min = s.simplify(st.min);
    const extent = s.simplify(st.extent);
    if (extent.kind === 'IntImm' && extent.value <= 0) return noOp();
    const body = s.withRange(st.loopVar, range(min, extent), () => this.stmt(st.body));
    if (isNoOp(body)) return body;
    // A loop that runs once: the simplifier already replaced its variable by `min`.
    if (extent.kind === 'IntImm' && extent.value === 1 && st.forKind !== 'threadBinding' && !stmtUsesVar(body, st.loopVar)) {
      return body;
    }
    if (min === st.min && extent === st.extent && body === st.body) return st;
    return forLoop(st.loopVar, min, extent, st.forKind, body, { threadTag: st.threadTag, annotations: st.annotations });
  }
}

/** Simplifies a statement, knowing the ranges of the loops around it (if any) and its own. */
export function simplifyStmt(st: Stmt, ranges?: ReadonlyMap<Var, Range>): Stmt {
  return new StmtSimplifier(new Simplifier(new Map(ranges ?? []))).stmt(st);
}

export function simplify(f: PrimFunc): PrimFunc {
  return mapBody(f, simplifyStmt);
}
