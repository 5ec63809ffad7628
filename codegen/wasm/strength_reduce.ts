// codegen/wasm/strength_reduce.ts — loop strength reduction of memory addresses in innermost serial
// loops (LLVM's LoopStrengthReduce, which TVM's CPU backends get from LLVM; binaryen and V8's TurboFan
// do not do it). An access `buf[rest + k·i + c]` whose index is linear in the loop variable `i`, with
// `rest` invariant in the loop, reads through a byte pointer `p = base + (rest + k·i)·size` set once
// before the loop and bumped by `k·size` after each iteration, `c·size` going into the memarg offset:
// one add per pointer per iteration instead of an add and a shift (or x64 `lea`s) per access.
// On by default; the target's `-strength-reduce=0` turns it off (for A/B measurements).

import binaryen from 'binaryen';
import { elementType, lanesOf, type For, type PrimExpr, type Var } from '../../tir/nodes.js';
import { exprKey } from '../../tir/arith/linear.js';
import { boundVars, tryConstInt, unrollableLoop } from './analysis.js';
import type { FuncContext, Ref } from './func_context.js';

/** One term `scale·e` of an address's loop-invariant part. */
interface Term { readonly e: PrimExpr; readonly scale: number }

/** A byte pointer of a reduced loop: base + (Σ rest + coef·i)·2^shift. */
interface Pointer {
  readonly local: number;
  readonly baseLocal: number;
  readonly shift: number;
  readonly coef: number;
  readonly rest: readonly Term[];
}

/** The innermost serial loop being emitted with reduced addresses. */
export interface ReducedLoop {
  readonly loopVar: Var;
  /** Variables bound inside the body (lets, unrolled loops): a term using one is not invariant. */
  readonly bound: ReadonlySet<Var>;
  /** Base-pointer locals of the buffers in memory at the loop's entry (not those allocated inside it). */
  readonly bases: ReadonlySet<number>;
  readonly pointers: Map<string, Pointer>;
}

/** The loop each function context is reducing now (one at a time: only innermost loops are). */
const active = new WeakMap<FuncContext, ReducedLoop>();

/**
 * Starts reducing serial loop `f` (its body's addresses, as emitted, get pointers): the ReducedLoop, or
 * undefined when the option is off or `f` holds a loop the codegen keeps (then `f` is not innermost).
 */
export function beginReducedLoop(ctx: FuncContext, f: For): ReducedLoop | undefined {
  if (ctx.opts.strengthReduce === false) return undefined;
  // A loop the codegen keeps as a loop inside `f` (not one it unrolls) means `f` is not innermost.
  let innerLoop = false;
  const bound = boundVars(f.body, (inner) => {
    if (!unrollableLoop(inner, ctx.opts)) innerLoop = true;
  });
  if (innerLoop) return undefined;
  const bases = new Set<number>();
  for (const h of ctx.homes.values()) if (h.kind === 'memory') bases.add(h.baseLocal);
  const loop: ReducedLoop = { loopVar: f.loopVar, bound, bases, pointers: new Map() };
  active.set(ctx, loop);
  return loop;
}

/** Ends the reduction begun by beginReducedLoop (after the body is emitted). */
export function endReducedLoop(ctx: FuncContext): void {
  active.delete(ctx);
}

/** Whether `e` is a scalar int32 expression of invariant variables that cannot trap (division only by a positive constant). */
function invariantInt(e: PrimExpr, loop: ReducedLoop): boolean {
  if (lanesOf(e.dtype) !== 1 || elementType(e.dtype) !== 'int32') return false;
  switch (e.kind) {
    case 'IntImm': return true;
    case 'Var': return e !== loop.loopVar && !loop.bound.has(e);
    case 'BinaryOp': {
      const byConst = e.b.kind === 'IntImm' && e.b.value > 0;
      const division = e.op === 'div' || e.op === 'mod' || e.op === 'floordiv' || e.op === 'floormod';
      if (division ? !byConst : !(e.op === 'add' || e.op === 'sub' || e.op === 'mul' || e.op === 'min' || e.op === 'max')) return false;
      return invariantInt(e.a, loop) && invariantInt(e.b, loop);
    }
    default: return false;
  }
}

/** Splits `scale·e` into loop-variable coefficient, constant and invariant terms; false when not linear in the loop variable. */
function decompose(e: PrimExpr, scale: number, ctx: FuncContext, loop: ReducedLoop, out: { coef: number; c: number; rest: Term[] }): boolean {
  const k = tryConstInt(e, ctx.bindings);
  if (k !== undefined) { out.c = (out.c + Math.imul(scale, k)) | 0; return true; }
  if (e === loop.loopVar) { out.coef = (out.coef + scale) | 0; return true; }
  if (e.kind === 'BinaryOp' && lanesOf(e.dtype) === 1 && elementType(e.dtype) === 'int32') {
    if (e.op === 'add' || e.op === 'sub') {
      return decompose(e.a, scale, ctx, loop, out) && decompose(e.b, e.op === 'add' ? scale : -scale | 0, ctx, loop, out);
    }
    if (e.op === 'mul') {
      const kb = tryConstInt(e.b, ctx.bindings);
      if (kb !== undefined) return decompose(e.a, Math.imul(scale, kb), ctx, loop, out);
      const ka = tryConstInt(e.a, ctx.bindings);
      if (ka !== undefined) return decompose(e.b, Math.imul(scale, ka), ctx, loop, out);
    }
  }
  if (!invariantInt(e, loop)) return false;
  out.rest.push({ e, scale });
  return true;
}

/**
 * The address of `base[index]` (elements of `esize` bytes) through a pointer of the loop being reduced,
 * or undefined when no loop is reduced or the index is not linear in its variable with invariant rest.
 * Same value as base + index·esize in i32 arithmetic: the constant part goes to the memarg offset only
 * when 0 ≤ c·esize ≤ maxFolded (see expr_emitter's MAX_FOLDED), else it is added to the pointer.
 */
export function reducedAddress(ctx: FuncContext, baseLocal: number, index: PrimExpr, esize: number, maxFolded: number): { ptr: Ref; offset: number } | undefined {
  const loop = active.get(ctx);
  if (loop === undefined || !loop.bases.has(baseLocal) || lanesOf(index.dtype) !== 1) return undefined;
  const parts = { coef: 0, c: 0, rest: [] as Term[] };
  if (!decompose(index, 1, ctx, loop, parts) || parts.coef === 0) return undefined;
  const rest = parts.rest.sort((a, b) => (exprKey(a.e) < exprKey(b.e) ? -1 : exprKey(a.e) > exprKey(b.e) ? 1 : a.scale - b.scale));
  const shift = Math.log2(esize);
  const key = `${baseLocal}:${shift}:${parts.coef}:${rest.map((t) => `${t.scale}*${exprKey(t.e)}`).join('+')}`;
  let p = loop.pointers.get(key);
  if (p === undefined) {
    p = { local: ctx.addLocal(binaryen.i32), baseLocal, shift, coef: parts.coef, rest };
    loop.pointers.set(key, p);
  }
  const m = ctx.m;
  const bytes = parts.c * esize;
  if (bytes >= 0 && bytes <= maxFolded) return { ptr: ctx.get(p.local), offset: bytes };
  return { ptr: m.i32.add(ctx.get(p.local), m.i32.const(bytes | 0)), offset: 0 };
}

/** The pointers' first values (after the loop variable's local is set): base + (rest + coef·i)·size. */
export function pointerInits(ctx: FuncContext, loop: ReducedLoop, loopLocal: number, emit: (e: PrimExpr) => Ref): Ref[] {
  const m = ctx.m;
  return [...loop.pointers.values()].map((p) => {
    let idx = m.i32.mul(ctx.get(loopLocal), m.i32.const(p.coef));
    for (const t of p.rest) idx = m.i32.add(idx, t.scale === 1 ? emit(t.e) : m.i32.mul(emit(t.e), m.i32.const(t.scale)));
    const scaled = p.shift === 0 ? idx : m.i32.shl(idx, m.i32.const(p.shift));
    return m.local.set(p.local, m.i32.add(ctx.get(p.baseLocal), scaled));
  });
}

/** The pointers' bumps at the end of an iteration: p += coef·size. */
export function pointerBumps(ctx: FuncContext, loop: ReducedLoop): Ref[] {
  const m = ctx.m;
  return [...loop.pointers.values()].map((p) => m.local.set(p.local, m.i32.add(ctx.get(p.local), m.i32.const((p.coef << p.shift) | 0))));
}
