// codegen/wasm/analysis.ts — facts the wasm emitter needs before emitting a statement:
// constant folding of index expressions, what a parallel body captures, and which scratch
// buffers can live in wasm locals (register promotion of accumulators).

import { StmtExprVisitor, usedVars } from '../../tir/functor.js';
import {
  asConstInt, elementType, lanesOf,
  type Allocate, type Buffer, type For, type PrimExpr, type Stmt, type Var,
} from '../../tir/nodes.js';
import type { Binding, CodegenOptions } from './func_context.js';

/** Evaluates an integer expression whose variables are all constant-bound; undefined otherwise. */
export function tryConstInt(e: PrimExpr, bindings: ReadonlyMap<Var, Binding>): number | undefined {
  switch (e.kind) {
    case 'IntImm':
      return e.value;
    case 'Var': {
      const b = bindings.get(e);
      return b?.kind === 'const' ? b.value : undefined;
    }
    case 'BinaryOp': {
      if (lanesOf(e.dtype) !== 1 || elementType(e.dtype) !== 'int32') return undefined;
      const a = tryConstInt(e.a, bindings);
      if (a === undefined) return undefined;
      const b = tryConstInt(e.b, bindings);
      if (b === undefined) return undefined;
      switch (e.op) {
        case 'add': return (a + b) | 0;
        case 'sub': return (a - b) | 0;
        case 'mul': return Math.imul(a, b);
        case 'div': return b === 0 ? undefined : Math.trunc(a / b) | 0;
        case 'mod': return b === 0 ? undefined : a % b | 0;
        case 'floordiv': return b === 0 ? undefined : Math.floor(a / b) | 0;
        case 'floormod': return b === 0 ? undefined : a - Math.floor(a / b) * b;
        case 'min': return Math.min(a, b);
        case 'max': return Math.max(a, b);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A loop the codegen unrolls: 'unrolled' kind with constant bounds and a small extent. */
export function unrollableLoop(f: For, opts: CodegenOptions): boolean {
  const min = asConstInt(f.min);
  const ext = asConstInt(f.extent);
  return f.forKind === 'unrolled' && min !== undefined && ext !== undefined && ext <= opts.maxUnroll;
}

/** Variables bound inside a statement (loop variables, let variables); `onLoop` sees each loop on the way. */
export function boundVars(s: Stmt, onLoop?: (f: For) => void): Set<Var> {
  const out = new Set<Var>();
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'For') {
        out.add(st.loopVar);
        onLoop?.(st);
      }
      if (st.kind === 'LetStmt') out.add(st.variable);
      super.visitStmt(st);
    }
    override visitExpr(e: PrimExpr): void {
      if (e.kind === 'Let') out.add(e.variable);
      super.visitExpr(e);
    }
  }
  new V().visitStmt(s);
  return out;
}

/** What an outlined parallel body needs from its caller: free variables and outer buffers. */
export interface Captures {
  readonly vars: readonly Var[];
  readonly buffers: readonly Buffer[];
}

export function parallelCaptures(loop: For): Captures {
  const bound = boundVars(loop.body);
  bound.add(loop.loopVar);
  const vars = [...usedVars(loop.body), ...usedVars(loop.min), ...usedVars(loop.extent)]
    .filter((v, i, all) => !bound.has(v) && all.indexOf(v) === i);
  const used = new Set<Buffer>();
  const allocated = new Set<Buffer>();
  class V extends StmtExprVisitor {
    override visitBufferAccess(b: Buffer): void {
      used.add(b);
    }
    override visitStmt(st: Stmt): void {
      if (st.kind === 'Allocate') allocated.add(st.buffer);
      super.visitStmt(st);
    }
  }
  new V().visitStmt(loop.body);
  return { vars, buffers: [...used].filter((b) => !allocated.has(b)) };
}

/** Buffer accesses (index lists) of one buffer under a statement, with the loops around them. */
interface Access { readonly index: PrimExpr; readonly vector: boolean }

function accessesOf(s: Stmt, buf: Buffer): Access[] {
  const out: Access[] = [];
  class V extends StmtExprVisitor {
    override visitExpr(e: PrimExpr): void {
      if (e.kind === 'BufferLoad' && e.buffer === buf) out.push({ index: e.indices[0]!, vector: lanesOf(e.dtype) > 1 });
      super.visitExpr(e);
    }
    override visitStmt(st: Stmt): void {
      if (st.kind === 'BufferStore' && st.buffer === buf) {
        out.push({ index: st.indices[0]!, vector: lanesOf(st.value.dtype) > 1 });
      }
      super.visitStmt(st);
    }
  }
  new V().visitStmt(s);
  return out;
}

/** Whether `e` can be folded once the listed loop variables are constants. */
function foldableWith(e: PrimExpr, constVars: ReadonlySet<Var>): boolean {
  switch (e.kind) {
    case 'IntImm': return true;
    case 'Var': return constVars.has(e);
    case 'BinaryOp': return foldableWith(e.a, constVars) && foldableWith(e.b, constVars);
    case 'Ramp': return foldableWith(e.base, constVars) && foldableWith(e.stride, constVars);
    case 'Broadcast': return foldableWith(e.value, constVars);
    default: return false;
  }
}

const MAX_PROMOTED_ELEMENTS = 256;

/**
 * The stride of a v128-promoted buffer's transposed layout (func_context's slotOf): s when every vector
 * access is a Ramp of the same constant stride s > 1 and the buffer is s rows of a multiple of 4; else 1.
 */
export function promotedStride(a: Allocate): number {
  const size = asConstInt(a.buffer.shape[0]!);
  const strides = new Set(accessesOf(a.body, a.buffer).filter((x) => x.vector).map((x) => (x.index.kind === 'Ramp' ? asConstInt(x.index.stride) : undefined)));
  if (size === undefined || strides.size !== 1) return 1;
  const [s] = [...strides];
  return s !== undefined && s > 1 && size % s === 0 && (size / s) % 4 === 0 ? s : 1;
}

/**
 * Decides whether a scratch allocation becomes wasm locals: a 'local'-scope f32/i32 buffer of
 * constant size whose every index folds to a constant under the unrolled loops (and outer
 * constants). v128 locals when SIMD is on and some access is a vector; scalar locals otherwise.
 */
export function promotionKind(
  a: Allocate, opts: CodegenOptions, outerConst: ReadonlyMap<Var, Binding>, outlinesParallel: boolean,
): 'scalar' | 'v128' | undefined {
  const b = a.buffer;
  if (b.scope !== 'local' || b.shape.length !== 1) return undefined;
  const e = elementType(b.dtype);
  if (e !== 'float32' && e !== 'int32') return undefined;
  const size = asConstInt(b.shape[0]!);
  if (size === undefined || size < 1 || size > MAX_PROMOTED_ELEMENTS) return undefined;
  const constVars = new Set<Var>();
  for (const [v, bind] of outerConst) if (bind.kind === 'const') constVars.add(v);
  let hasParallel = false;
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'For') {
        if (unrollableLoop(st, opts)) constVars.add(st.loopVar);
        if (st.forKind === 'parallel') hasParallel = true;
      }
      super.visitStmt(st);
    }
  }
  new V().visitStmt(a.body);
  // Locals do not cross into an outlined function, so a buffer a parallel body uses stays in memory.
  if (hasParallel && outlinesParallel) return undefined;
  const accesses = accessesOf(a.body, b);
  if (accesses.length === 0) return undefined;
  if (!accesses.every((x) => foldableWith(x.index, constVars))) return undefined;
  const anyVector = accesses.some((x) => x.vector);
  return anyVector && opts.simd && size % 4 === 0 ? 'v128' : 'scalar';
}
