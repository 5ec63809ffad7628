// tir/passes/vectorize_loop.ts — a `vectorized` loop of constant extent n becomes one vector
// statement of n lanes: the loop variable is ramp(min, 1, n), indices affine in it become Ramps,
// invariant values are Broadcast. A loop that cannot be vectorized stays a serial loop with
// the reason in `annotations.vectorize_failed`.

import { mapBody, StmtExprMutator, substituteStmt } from '../functor.js';
import {
  binary, broadcast, bufferLoad, intImm, range, bufferStore, call, cast, compare, forLoop, ifThenElse, ifThenElseExpr, lanesOf, letExpr, letStmt,
  not, ramp, select, seq, variable, withLanes,
  type For, type LogicalOp, type PrimExpr, type PrimFunc, type Range, type Stmt, type Var,
} from '../nodes.js';
import { Simplifier } from '../arith/simplify_expr.js';
import { ifThenElseAsSelect } from './if_then_else.js';
import { unrollLoop, unrollTooBig } from './unroll_loops.js';

export const VECTORIZE_FAILED = 'vectorize_failed';
/**
 * The widest vector a loop becomes: codegens split vectors into 4-lane pieces, so a wider one is
 * only more code (a 320,000-lane vector would be 80,000 v128 operations per expression).
 */
export const MAX_VECTOR_LANES = 256;

/** Thrown inside the vectorizer to give up on one loop with a reason. */
class CannotVectorize extends Error {}

function fail(reason: string): never {
  throw new CannotVectorize(reason);
}

/** Rewrites the body of one vectorized loop into vector form (or throws CannotVectorize). */
class Vectorizer {
  /** Variables bound to vector values: the loop variable and lets that depend on it. */
  private readonly vectorVars = new Map<Var, PrimExpr>();
  private readonly simp: Simplifier;

  /** `ranges`: of the loops around this one, so the Ramp algebra can use their bounds. */
  constructor(loop: For, private readonly lanes: number, ranges: ReadonlyMap<Var, Range>) {
    this.simp = new Simplifier(new Map(ranges));
    this.vectorVars.set(loop.loopVar, ramp(loop.min, intImm(1), lanes));
  }

  private widen(e: PrimExpr): PrimExpr {
    return lanesOf(e.dtype) === 1 ? broadcast(e, this.lanes) : e;
  }

  /** Runs `fn` with `v` standing for the vector `value`. */
  private substituted<T>(v: Var, value: PrimExpr, fn: () => T): T {
    this.vectorVars.set(v, value);
    try {
      return fn();
    } finally {
      this.vectorVars.delete(v);
    }
  }

  /** The vector form of `e`, or `e` itself (scalar) when it does not depend on the loop. */
  expr(e: PrimExpr): PrimExpr {
    switch (e.kind) {
      case 'IntImm':
      case 'FloatImm':
        return e;
      case 'Var':
        return this.vectorVars.get(e) ?? e;
      case 'BinaryOp':
      case 'CompareOp':
      case 'LogicalOp': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        if (a === e.a && b === e.b) return e;
        if (lanesOf(a.dtype) === 1 && lanesOf(b.dtype) === 1) return { ...e, a, b } as PrimExpr;
        const [va, vb] = [this.widen(a), this.widen(b)];
        if (e.kind === 'BinaryOp') return this.simp.simplify(binary(e.op, va, vb));
        if (e.kind === 'CompareOp') return compare(e.op, va, vb);
        return { ...(e as LogicalOp), dtype: va.dtype, a: va, b: vb };
      }
      case 'Not': {
        const a = this.expr(e.a);
        return a === e.a ? e : not(a);
      }
      case 'Select': {
        const c = this.expr(e.condition);
        const t = this.expr(e.trueValue);
        const f = this.expr(e.falseValue);
        if (c === e.condition && t === e.trueValue && f === e.falseValue) return e;
        if ([c, t, f].every((x) => lanesOf(x.dtype) === 1)) return select(c, t, f);
        return select(c, this.widen(t), this.widen(f));
      }
      case 'Cast': {
        const v = this.expr(e.value);
        return v === e.value ? e : cast(withLanes(e.dtype, lanesOf(v.dtype)), v);
      }
      case 'Call': {
        if (e.op === 'tir.storage_sync') fail('a barrier inside the loop');
        const args = e.args.map((a) => this.expr(a));
        if (args.every((a, i) => a === e.args[i])) return e;
        if (e.op === 'tir.if_then_else') {
          // A condition the same in every lane keeps the lazy branch; a per-lane one becomes a
          // select whose arms have their loads clamped in bounds (no lane reads out of range).
          const [c, t, f] = args as [PrimExpr, PrimExpr, PrimExpr];
          if (lanesOf(c.dtype) === 1) return ifThenElseExpr(c, this.widen(t), this.widen(f));
          return ifThenElseAsSelect(ifThenElseExpr(c, this.widen(t), this.widen(f)));
        }
        const wide = args.map((a) => this.widen(a));
        return call(e.op, wide, withLanes(e.dtype, this.lanes));
      }
      case 'Ramp':
      case 'Broadcast':
        return fail('the body already holds vectors (nested vectorized loops)');
      case 'Let': {
        const value = this.expr(e.value);
        if (lanesOf(value.dtype) === 1) {
          const body = this.expr(e.body);
          return value === e.value && body === e.body ? e : letExpr(e.variable, value, body);
        }
        if (value.kind === 'Ramp' || value.kind === 'Broadcast') return this.substituted(e.variable, value, () => this.expr(e.body));
        const v = variable(e.variable.name, value.dtype);
        return letExpr(v, value, this.substituted(e.variable, v, () => this.widen(this.expr(e.body))));
      }
      case 'BufferLoad': {
        const index = this.index(e.indices, 'load', e.buffer.name);
        if (index === undefined) return e;
        // An index the same in every lane is one scalar load, broadcast by its users.
        if (index.kind === 'Broadcast') return bufferLoad(e.buffer, [index.value]);
        return bufferLoad(e.buffer, [index]);
      }
      case 'ProducerLoad':
      case 'Reduce':
        return fail(`${e.kind} in the body (lower the function first)`);
    }
  }

  /** The vectorized flat index, undefined when invariant; fails if not affine in the loop. */
  private index(indices: readonly PrimExpr[], what: string, name: string): PrimExpr | undefined {
    if (indices.length !== 1) fail(`${what} of ${name} has ${indices.length} indices (run storage flatten first)`);
    const ix = this.expr(indices[0]!);
    if (ix === indices[0]) return undefined;
    if (lanesOf(ix.dtype) === 1) return undefined;
    if (ix.kind !== 'Ramp' && ix.kind !== 'Broadcast') fail(`the ${what} index of ${name} is not affine in the loop variable`);
    return ix;
  }

  stmt(s: Stmt): Stmt {
    switch (s.kind) {
      case 'BufferStore': {
        const index = this.index(s.indices, 'store', s.buffer.name);
        if (index === undefined || index.kind === 'Broadcast') {
          return fail(`the store to ${s.buffer.name} has the same index in every iteration`);
        }
        return bufferStore(s.buffer, this.widen(this.expr(s.value)), [index]);
      }
      case 'SeqStmt':
        return seq(s.seq.map((c) => this.stmt(c)));
      case 'LetStmt': {
        const value = this.expr(s.value);
        if (lanesOf(value.dtype) === 1) return letStmt(s.variable, value, this.stmt(s.body));
        // An affine vector (an index, typically) is substituted so indices stay Ramps.
        if (value.kind === 'Ramp' || value.kind === 'Broadcast') return this.substituted(s.variable, value, () => this.stmt(s.body));
        const v = variable(s.variable.name, value.dtype);
        return letStmt(v, value, this.substituted(s.variable, v, () => this.stmt(s.body)));
      }
      case 'IfThenElse': {
        const c = this.expr(s.condition);
        if (lanesOf(c.dtype) !== 1) fail('a guard depends on the loop variable');
        return ifThenElse(c, this.stmt(s.thenCase), s.elseCase ? this.stmt(s.elseCase) : undefined);
      }
      case 'For': {
        if (s.forKind === 'unrolled' && s.extent.kind === 'IntImm' && unrollTooBig(s, 1) === undefined) return this.stmt(unrollLoop(s));
        // An inner serial loop stays a loop and its body becomes vector code (TVM's vectorizer
        // carries the lanes through it): each iteration runs all lanes at once.
        if (s.forKind !== 'serial' && s.forKind !== 'unrolled') return fail(`an inner ${s.forKind} loop (${s.loopVar.name})`);
        const min = this.expr(s.min);
        const extent = this.expr(s.extent);
        if (lanesOf(min.dtype) !== 1 || lanesOf(extent.dtype) !== 1) return fail(`the bounds of the inner loop ${s.loopVar.name} depend on the loop variable`);
        return forLoop(s.loopVar, min, extent, s.forKind, this.stmt(s.body), { annotations: s.annotations });
      }
      case 'Allocate':
        return fail(`an allocation (${s.buffer.name}) inside the loop`);
      case 'Evaluate':
        if (s.value.kind === 'IntImm') return s;
        return fail('an evaluated expression with effects inside the loop');
    }
  }
}

function failedLoop(s: For, body: Stmt, reason: string): For {
  return forLoop(s.loopVar, s.min, s.extent, 'serial', body, { annotations: { ...s.annotations, [VECTORIZE_FAILED]: reason } });
}

class LoopFinder extends StmtExprMutator {
  private readonly ranges = new Map<Var, Range>();

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind === 'For') this.ranges.set(s.loopVar, range(s.min, s.extent));
    const st = super.mutateStmt(s);
    if (s.kind === 'For') this.ranges.delete(s.loopVar);
    if (st.kind !== 'For' || st.forKind !== 'vectorized') return st;
    if (st.extent.kind !== 'IntImm') return failedLoop(st, st.body, 'the extent is not a constant');
    const lanes = st.extent.value;
    if (lanes <= 1) return substituteStmt(st.body, new Map([[st.loopVar, st.min]]));
    if (lanes > MAX_VECTOR_LANES) {
      return failedLoop(st, st.body, `the extent ${lanes} is over the ${MAX_VECTOR_LANES}-lane limit; split the axis and vectorize the inner part (4 or 8 lanes)`);
    }
    try {
      return new Vectorizer(st, lanes, this.ranges).stmt(st.body);
    } catch (err) {
      if (err instanceof CannotVectorize) return failedLoop(st, st.body, err.message);
      throw err;
    }
  }
}

/** Vectorizes every `vectorized` loop (inner loops first); see the file comment. */
export function vectorizeLoop(f: PrimFunc): PrimFunc {
  return mapBody(f, (b) => new LoopFinder().mutateStmt(b));
}
