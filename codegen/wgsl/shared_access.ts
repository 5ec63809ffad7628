// codegen/wgsl/shared_access.ts — summaries of shared-memory accesses for the barrier pass, with
// the one refinement that keeps barriers out of per-thread loops: two accesses whose indices
// are affine in the thread indices, with strides that separate threads, touch disjoint elements
// per thread, so they never need a barrier between them (e.g. rf[tx*8 + i] += …).

import { StmtExprVisitor } from '../../tir/functor.js';
import type { Buffer, PrimExpr, Stmt, Var } from '../../tir/nodes.js';

/** What a variable is, as far as the index analysis cares. */
export type VarInfo =
  | { readonly kind: 'thread'; readonly tag: string; readonly extent: number }
  | { readonly kind: 'uniform'; readonly key: string }
  | { readonly kind: 'range'; readonly min: number; readonly max: number };

export type VarContext = Map<Var, VarInfo>;

/** index = Σ coeff·thread + Σ coeff·uniform + value in [lo, hi]; undefined when not affine. */
export interface IndexSummary {
  readonly thread: ReadonlyMap<string, { coeff: number; extent: number }>;
  readonly uniform: ReadonlyMap<string, number>;
  readonly lo: number;
  readonly hi: number;
}

export interface Accesses {
  readonly reads: ReadonlyMap<Buffer, readonly (IndexSummary | undefined)[]>;
  readonly writes: ReadonlyMap<Buffer, readonly (IndexSummary | undefined)[]>;
}

export const NO_ACCESSES: Accesses = { reads: new Map(), writes: new Map() };

interface Affine {
  thread: Map<string, { coeff: number; extent: number }>;
  uniform: Map<string, number>;
  lo: number;
  hi: number;
}

function addInto(a: Affine, b: Affine, scale: number): Affine {
  const thread = new Map(a.thread);
  for (const [k, t] of b.thread) thread.set(k, { coeff: (thread.get(k)?.coeff ?? 0) + scale * t.coeff, extent: t.extent });
  const uniform = new Map(a.uniform);
  for (const [k, c] of b.uniform) uniform.set(k, (uniform.get(k) ?? 0) + scale * c);
  const [lo, hi] = scale >= 0 ? [b.lo * scale, b.hi * scale] : [b.hi * scale, b.lo * scale];
  return { thread, uniform, lo: a.lo + lo, hi: a.hi + hi };
}

function affine(e: PrimExpr, ctx: VarContext): Affine | undefined {
  const empty = (): Affine => ({ thread: new Map(), uniform: new Map(), lo: 0, hi: 0 });
  switch (e.kind) {
    case 'IntImm':
      return { ...empty(), lo: e.value, hi: e.value };
    case 'Var': {
      const info = ctx.get(e);
      if (!info) return undefined;
      const a = empty();
      if (info.kind === 'thread') a.thread.set(info.tag, { coeff: 1, extent: info.extent });
      else if (info.kind === 'uniform') a.uniform.set(info.key, 1);
      else return { ...a, lo: info.min, hi: info.max };
      return a;
    }
    case 'BinaryOp': {
      if (e.op !== 'add' && e.op !== 'sub' && e.op !== 'mul') return undefined;
      const x = affine(e.a, ctx);
      const y = affine(e.b, ctx);
      if (!x || !y) return undefined;
      if (e.op !== 'mul') return addInto(x, y, e.op === 'add' ? 1 : -1);
      const isConst = (v: Affine): boolean => v.thread.size === 0 && v.uniform.size === 0 && v.lo === v.hi;
      if (isConst(y)) return addInto(empty(), x, y.lo);
      if (isConst(x)) return addInto(empty(), y, x.lo);
      return undefined;
    }
    case 'Ramp': {
      const base = affine(e.base, ctx);
      if (!base || e.stride.kind !== 'IntImm') return undefined;
      const span = e.stride.value * (e.lanes - 1);
      return { ...base, lo: base.lo + Math.min(0, span), hi: base.hi + Math.max(0, span) };
    }
    default:
      return undefined;
  }
}

export function summarizeIndex(indices: readonly PrimExpr[], ctx: VarContext): IndexSummary | undefined {
  if (indices.length !== 1) return undefined;
  const a = affine(indices[0]!, ctx);
  if (!a) return undefined;
  const thread = new Map([...a.thread].filter(([, t]) => t.coeff !== 0));
  const uniform = new Map([...a.uniform].filter(([, c]) => c !== 0));
  return { thread, uniform, lo: a.lo, hi: a.hi };
}

function sameMap<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, eq: (x: V, y: V) => boolean): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || !eq(v, w)) return false;
  }
  return true;
}

/**
 * True when no element touched by one thread through `x` is touched by another thread through
 * `y`: same thread strides, each stride (smallest first) exceeds everything below it, and every
 * thread axis of the workgroup (tag → size) with more than one thread appears in the index (the
 * threads along an axis the index ignores all touch the same elements).
 */
export function threadPrivatePair(
  x: IndexSummary | undefined, y: IndexSummary | undefined, workgroup: ReadonlyMap<string, number> = new Map(),
): boolean {
  if (!x || !y || x.thread.size === 0) return false;
  for (const [tag, size] of workgroup) if (size > 1 && !x.thread.has(tag)) return false;
  if (!sameMap(x.thread, y.thread, (a, b) => a.coeff === b.coeff && a.extent === b.extent)) return false;
  if (!sameMap(x.uniform, y.uniform, (a, b) => a === b)) return false;
  const width = Math.max(x.hi, y.hi) - Math.min(x.lo, y.lo);
  const strides = [...x.thread.values()].sort((a, b) => a.coeff - b.coeff);
  let reach = width;
  for (const s of strides) {
    if (s.coeff <= reach) return false;
    reach += s.coeff * (s.extent - 1);
  }
  return true;
}

/** The shared-buffer reads and writes of a statement or expression, in the given context. */
export function collectAccesses(root: Stmt | PrimExpr, outer: VarContext, isStmtNode: boolean): Accesses {
  const ctx: VarContext = new Map(outer);
  const reads = new Map<Buffer, (IndexSummary | undefined)[]>();
  const writes = new Map<Buffer, (IndexSummary | undefined)[]>();
  const note = (m: Map<Buffer, (IndexSummary | undefined)[]>, b: Buffer, idx: readonly PrimExpr[]): void => {
    if (b.scope !== 'shared') return;
    const list = m.get(b) ?? [];
    list.push(summarizeIndex(idx, ctx));
    m.set(b, list);
  };
  class V extends StmtExprVisitor {
    override visitExpr(e: PrimExpr): void {
      if (e.kind === 'BufferLoad') note(reads, e.buffer, e.indices);
      super.visitExpr(e);
    }
    override visitStmt(s: Stmt): void {
      if (s.kind === 'BufferStore') note(writes, s.buffer, s.indices);
      if (s.kind === 'For') bindLoopVar(ctx, s);
      super.visitStmt(s);
    }
  }
  const v = new V();
  if (isStmtNode) v.visitStmt(root as Stmt);
  else v.visitExpr(root as PrimExpr);
  return { reads, writes };
}

/** Threads per threadIdx tag in a kernel (the largest loop bound to it; a non-constant extent counts as many). */
export function workgroupShape(kernel: Stmt): Map<string, number> {
  const out = new Map<string, number>();
  class V extends StmtExprVisitor {
    override visitStmt(s: Stmt): void {
      if (s.kind === 'For' && s.forKind === 'threadBinding' && s.threadTag?.startsWith('threadIdx')) {
        const n = s.extent.kind === 'IntImm' ? s.extent.value : Number.MAX_SAFE_INTEGER;
        out.set(s.threadTag, Math.max(out.get(s.threadTag) ?? 1, n));
      }
      super.visitStmt(s);
    }
  }
  new V().visitStmt(kernel);
  return out;
}

/** Records what a loop variable is: a thread index, a block index (uniform) or a bounded counter. */
export function bindLoopVar(ctx: VarContext, s: Extract<Stmt, { kind: 'For' }>): void {
  const min = s.min.kind === 'IntImm' ? s.min.value : undefined;
  const extent = s.extent.kind === 'IntImm' ? s.extent.value : undefined;
  if (s.forKind === 'threadBinding' && s.threadTag?.startsWith('threadIdx') && extent !== undefined) {
    ctx.set(s.loopVar, { kind: 'thread', tag: s.threadTag, extent });
  } else if (s.forKind === 'threadBinding' && s.threadTag?.startsWith('blockIdx')) {
    ctx.set(s.loopVar, { kind: 'uniform', key: s.threadTag });
  } else if (min !== undefined && extent !== undefined) {
    ctx.set(s.loopVar, { kind: 'range', min, max: min + extent - 1 });
  }
}
