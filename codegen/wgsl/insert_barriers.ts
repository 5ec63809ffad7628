// codegen/wgsl/insert_barriers.ts — codegen.wgsl.insertBarriers: places workgroup barriers
// (`tir.storage_sync`) where a shared buffer written by some threads is read by others, and
// before a shared buffer still being read is overwritten (the next iteration of a loop).
//
// The analysis is a forward dataflow over "shared accesses since the last barrier": a statement
// that reads what is pending-written (RAW) or writes what is pending-read (WAR) gets a barrier
// before it. Loops are iterated to a fixed point so the back edge (iteration i+1 overwriting
// what iteration i still reads) is seen. It is conservative: it assumes any two accesses to a
// shared buffer may touch each other's elements, except in one provable case (indices affine in
// the thread index with strides that keep threads apart, see shared_access.ts), so it may add a
// barrier that is not strictly needed, never drop one.

import { StmtExprVisitor } from '../../tir/functor.js';
import {
  assertNever, call, evaluate, ifThenElse, seq,
  type Buffer, type PrimExpr, type PrimFunc, type Stmt, type Var,
} from '../../tir/nodes.js';
import { bindLoopVar, collectAccesses, threadPrivatePair, workgroupShape, type Accesses, type IndexSummary, type VarContext } from './shared_access.js';

/** Shared-buffer accesses since the last barrier, per buffer, deduplicated by index summary. */
interface Pending {
  readonly reads: ReadonlyMap<Buffer, ReadonlyMap<string, IndexSummary | undefined>>;
  readonly writes: ReadonlyMap<Buffer, ReadonlyMap<string, IndexSummary | undefined>>;
}

const EMPTY: Pending = { reads: new Map(), writes: new Map() };

export function barrierStmt(): Stmt {
  return evaluate(call('tir.storage_sync', [], 'int32'));
}

export function isBarrier(s: Stmt): boolean {
  return s.kind === 'Evaluate' && s.value.kind === 'Call' && s.value.op === 'tir.storage_sync';
}

function summaryKey(x: IndexSummary | undefined): string {
  return x ? JSON.stringify([[...x.thread], [...x.uniform], x.lo, x.hi]) : 'opaque';
}

function toPending(a: Accesses): Pending {
  const conv = (m: Accesses['reads']): Map<Buffer, Map<string, IndexSummary | undefined>> =>
    new Map([...m].map(([b, list]) => [b, new Map(list.map((x) => [summaryKey(x), x]))]));
  return { reads: conv(a.reads), writes: conv(a.writes) };
}

type Workgroup = ReadonlyMap<string, number>;

function clash(a: Pending['reads'], b: Pending['reads'], wg: Workgroup): boolean {
  for (const [buf, xs] of a) {
    const ys = b.get(buf);
    if (!ys) continue;
    for (const x of xs.values()) for (const y of ys.values()) if (!threadPrivatePair(x, y, wg)) return true;
  }
  return false;
}

function conflicts(access: Pending, pending: Pending, wg: Workgroup): boolean {
  return clash(access.reads, pending.writes, wg) || clash(access.writes, pending.reads, wg);
}

function mergeMaps(a: Pending['reads'], b: Pending['reads']): Pending['reads'] {
  const out = new Map(a);
  for (const [buf, xs] of b) out.set(buf, new Map([...(out.get(buf) ?? []), ...xs]));
  return out;
}

function union(a: Pending, b: Pending): Pending {
  return { reads: mergeMaps(a.reads, b.reads), writes: mergeMaps(a.writes, b.writes) };
}

function sameKeys(a: Pending['reads'], b: Pending['reads']): boolean {
  if (a.size !== b.size) return false;
  for (const [buf, xs] of a) {
    const ys = b.get(buf);
    if (!ys || ys.size !== xs.size || [...xs.keys()].some((k) => !ys.has(k))) return false;
  }
  return true;
}

function samePending(a: Pending, b: Pending): boolean {
  return sameKeys(a.reads, b.reads) && sameKeys(a.writes, b.writes);
}

/** Whether an expression may differ between threads of a workgroup (WGSL's uniformity rules). */
function isThreadVarying(e: PrimExpr, varying: ReadonlySet<Var>): boolean {
  let found = false;
  class V extends StmtExprVisitor {
    override visitExpr(x: PrimExpr): void {
      if (x.kind === 'BufferLoad' || (x.kind === 'Var' && varying.has(x))) found = true;
      else super.visitExpr(x);
    }
  }
  new V().visitExpr(e);
  return found;
}

class BarrierPlanner {
  /** Variables whose value differs between threads of one workgroup. */
  private readonly varying = new Set<Var>();
  /** What each enclosing loop variable is, for the index analysis. */
  private readonly ctx: VarContext = new Map();

  /** `workgroup`: threads per threadIdx tag of the kernel planned (see workgroupShape). */
  constructor(private readonly workgroup: Workgroup) {}

  private accesses(x: Stmt | PrimExpr, isStmtNode: boolean): Pending {
    return toPending(collectAccesses(x, this.ctx, isStmtNode));
  }

  /**
   * Rewrites `s` given what is pending on entry; returns the new statement and the exit state.
   * A compound statement (loop, branch, let) that conflicts as a whole gets its barrier before
   * it, not deep inside: fewer barriers, and never one inside a thread-dependent branch.
   */
  plan(s: Stmt, entry: Pending): [Stmt, Pending] {
    if (s.kind !== 'SeqStmt' && s.kind !== 'BufferStore' && s.kind !== 'Evaluate' && conflicts(this.accesses(s, true), entry, this.workgroup)) {
      const [inner, exit] = this.planInner(s, EMPTY);
      return [seq([barrierStmt(), inner]), exit];
    }
    return this.planInner(s, entry);
  }

  private planInner(s: Stmt, entry: Pending): [Stmt, Pending] {
    switch (s.kind) {
      case 'SeqStmt': {
        let state = entry;
        const out: Stmt[] = [];
        for (const c of s.seq) {
          const [nc, next] = this.plan(c, state);
          out.push(nc);
          state = next;
        }
        return [out.every((c, i) => c === s.seq[i]) ? s : seq(out), state];
      }
      case 'For': {
        bindLoopVar(this.ctx, s);
        if (s.forKind === 'threadBinding' && s.threadTag?.startsWith('threadIdx')) this.varying.add(s.loopVar);
        if (s.forKind === 'threadBinding' && s.threadTag !== 'vthread') {
          // Every thread runs the body once: no back edge to follow.
          const [body, exit] = this.plan(s.body, entry);
          return [body === s.body ? s : { ...s, body }, exit];
        }
        if (isThreadVarying(s.min, this.varying) || isThreadVarying(s.extent, this.varying)) this.varying.add(s.loopVar);
        // Iterate the back edge to a fixed point: the exit of iteration i is the entry of i+1.
        let loopEntry = entry;
        for (;;) {
          const [body, exit] = this.plan(s.body, loopEntry);
          const nextEntry = union(entry, exit);
          if (samePending(nextEntry, loopEntry)) {
            return [body === s.body ? s : { ...s, body }, union(entry, exit)];
          }
          loopEntry = nextEntry;
        }
      }
      case 'LetStmt': {
        if (isThreadVarying(s.value, this.varying)) this.varying.add(s.variable);
        const [body, exit] = this.leafCheckThen(s.value, entry, (st) => this.plan(s.body, st));
        return [body.stmt === s.body && !body.barrier ? s : withBarrier(body.barrier, { ...s, body: body.stmt }), exit];
      }
      case 'IfThenElse':
        return this.planIf(s, entry);
      case 'Allocate': {
        const [body, exit] = this.plan(s.body, entry);
        return [body === s.body ? s : { ...s, body }, exit];
      }
      case 'Evaluate':
        if (isBarrier(s)) return [s, EMPTY];
        return this.planLeaf(s, entry);
      case 'BufferStore':
        return this.planLeaf(s, entry);
      default:
        return assertNever(s, 'statement');
    }
  }

  private planLeaf(s: Stmt, entry: Pending): [Stmt, Pending] {
    const acc = this.accesses(s, true);
    if (conflicts(acc, entry, this.workgroup)) return [seq([barrierStmt(), s]), acc];
    return [s, union(entry, acc)];
  }

  /** Checks an expression evaluated before a body (a let value), then plans the body. */
  private leafCheckThen(e: PrimExpr, entry: Pending, then: (st: Pending) => [Stmt, Pending]): [{ stmt: Stmt; barrier: boolean }, Pending] {
    const acc = this.accesses(e, false);
    const barrier = conflicts(acc, entry, this.workgroup);
    const [stmt, exit] = then(barrier ? acc : union(entry, acc));
    return [{ stmt, barrier }, exit];
  }

  private planIf(s: Extract<Stmt, { kind: 'IfThenElse' }>, entry: Pending): [Stmt, Pending] {
    const condAcc = this.accesses(s.condition, false);
    const needBefore = conflicts(condAcc, entry, this.workgroup);
    const start = needBefore ? condAcc : union(entry, condAcc);
    const [thenCase, thenExit] = this.plan(s.thenCase, start);
    const [elseCase, elseExit] = s.elseCase ? this.plan(s.elseCase, start) : [undefined, start];
    const changedInside = thenCase !== s.thenCase || elseCase !== s.elseCase;
    if (changedInside && isThreadVarying(s.condition, this.varying)) {
      // A barrier inside a branch that some threads skip deadlocks (WGSL refuses it).
      throw new Error(
        'webgpu: a workgroup barrier is needed inside a branch whose condition differs between threads ' +
        `(${describeCond(s.condition)}); move the guard inside the shared-memory stages (guard the stores, not the loop)`,
      );
    }
    const out = changedInside ? ifThenElse(s.condition, thenCase, elseCase) : s;
    return [withBarrier(needBefore, out), union(thenExit, elseExit)];
  }
}

function withBarrier(barrier: boolean, s: Stmt): Stmt {
  return barrier ? seq([barrierStmt(), s]) : s;
}

function describeCond(e: PrimExpr): string {
  return e.kind === 'CompareOp' ? `a ${e.op} comparison` : e.kind;
}

/** Inserts barriers into a PrimFunc's body; returns the same function when none are needed. */
export function insertBarriers(f: PrimFunc): PrimFunc {
  const [body] = new BarrierPlanner(workgroupShape(f.body)).plan(f.body, EMPTY);
  return body === f.body ? f : { ...f, body };
}

/** The statement form, for kernels split out of a function. */
export function insertBarriersStmt(s: Stmt): Stmt {
  return new BarrierPlanner(workgroupShape(s)).plan(s, EMPTY)[0];
}
