// codegen/wasm/simd.ts — vector TIR expressions (Ramp/Broadcast lanes) → k v128 operations
// when the lane count is 4·k and SIMD is on, or one scalar expression per lane otherwise.
// Contiguous (stride-1 Ramp) loads/stores become v128.load/store; anything else is per lane.

import binaryen from 'binaryen';
import { StmtExprVisitor } from '../../tir/functor.js';
import { ifThenElseAsSelect } from '../../tir/passes/if_then_else.js';
import {
  asConstInt, elementType, isFloat, lanesOf, withLanes,
  type Buffer, type Call, type PrimExpr, type ScalarType,
} from '../../tir/nodes.js';
import { tryConstInt } from './analysis.js';
import {
  binaryOnRefs, compareOnRefs, constIndex, convertScalar, emitAddress, emitScalar,
} from './expr_emitter.js';
import { homeStride, scalarWasmType, slotOf, storeBytes, vecMode, type FuncContext, type Ref, type VecMode } from './func_context.js';
import { emitScalarIntrinsic } from './intrinsics.js';
import { emitRelaxedMadd } from './relaxed.js';
import { emitGather, emitStridedLoad, repeatScalar } from './simd_gather.js';
import { i32x4Const, v128Binary, v128BinaryOp, v128Cast, v128Compare, v128Intrinsic, v128IntrinsicOp } from './simd_ops.js';

/** A vector value: k v128 parts (4 lanes each; bools as all-ones masks) or one part per lane (bools 0/1). */
export interface Parts { readonly mode: VecMode; readonly elem: ScalarType; readonly parts: readonly Ref[] }

function partCount(lanes: number, mode: VecMode): number {
  return mode === 'v128' ? lanes / 4 : lanes;
}

function splat(ctx: FuncContext, elem: ScalarType, v: Ref): Ref {
  const m = ctx.m;
  if (elem === 'float32') return m.f32x4.splat(v);
  if (elem === 'bool') return m.i32x4.neg(m.i32x4.splat(v));
  return m.i32x4.splat(v);
}

/** Converts between the two representations, hoisting v128 values that are read lane by lane. */
export function toMode(ctx: FuncContext, p: Parts, mode: VecMode): Parts {
  const m = ctx.m;
  if (p.mode === mode) return p;
  if (mode === 'lanes') {
    const out: Ref[] = [];
    for (const part of p.parts) {
      const l = ctx.hoist(part);
      for (let i = 0; i < 4; i++) {
        if (p.elem === 'float32') out.push(m.f32x4.extract_lane(ctx.get(l), i));
        else if (p.elem === 'bool') out.push(m.i32.and(m.i32x4.extract_lane(ctx.get(l), i), m.i32.const(1)));
        else out.push(m.i32x4.extract_lane(ctx.get(l), i));
      }
    }
    return { mode, elem: p.elem, parts: out };
  }
  if (p.parts.length % 4 !== 0) throw new Error(`wasm codegen: internal: ${p.parts.length} lanes do not fill v128 parts`);
  const out: Ref[] = [];
  for (let j = 0; j < p.parts.length; j += 4) {
    const isF = p.elem === 'float32';
    let v = isF ? m.f32x4.splat(p.parts[j]!) : m.i32x4.splat(p.parts[j]!);
    for (let i = 1; i < 4; i++) {
      v = isF ? m.f32x4.replace_lane(v, i, p.parts[j + i]!) : m.i32x4.replace_lane(v, i, p.parts[j + i]!);
    }
    out.push(p.elem === 'bool' ? m.i32x4.neg(v) : v);
  }
  return { mode, elem: p.elem, parts: out };
}

/** Emits a vector expression in the requested representation (default: the natural one). */
export function emitVector(ctx: FuncContext, e: PrimExpr, mode: VecMode = vecMode(e.dtype, ctx.opts)): Parts {
  const natural = emitNatural(ctx, e, mode);
  return toMode(ctx, natural, mode);
}

function lanesPerLane(ctx: FuncContext, e: PrimExpr, f: (lanes: readonly Ref[][]) => Ref[], ...args: PrimExpr[]): Parts {
  const cols = args.map((a) => emitVector(ctx, a, 'lanes').parts as Ref[]);
  return { mode: 'lanes', elem: elementType(e.dtype), parts: f(cols) };
}

function emitNatural(ctx: FuncContext, e: PrimExpr, mode: VecMode): Parts {
  const m = ctx.m;
  const lanes = lanesOf(e.dtype);
  const elem = elementType(e.dtype);
  const k = partCount(lanes, mode);
  if (mode === 'v128' && lanes % 4 !== 0) throw new Error(`wasm codegen: internal: v128 mode for ${e.dtype}`);
  switch (e.kind) {
    case 'Broadcast': {
      if (mode === 'v128') {
        // One splat (a load32_splat for a float/int element in memory), shared by all k parts.
        const src = e.value;
        const home = src.kind === 'BufferLoad' ? ctx.homes.get(src.buffer) : undefined;
        let v: Ref;
        if (src.kind === 'BufferLoad' && home?.kind === 'memory' && elem !== 'bool' && src.indices.length === 1) {
          const a = emitAddress(ctx, home.baseLocal, src.indices[0]!, 4);
          v = m.v128.load32_splat(a.offset, 4, a.ptr);
        } else {
          v = splat(ctx, elem, emitScalar(ctx, src));
        }
        if (k === 1) return { mode, elem, parts: [v] };
        const l = ctx.hoist(v);
        return { mode, elem, parts: Array.from({ length: k }, () => ctx.get(l)) };
      }
      return { mode, elem, parts: repeatScalar(ctx, emitScalar(ctx, e.value), k) };
    }
    case 'Ramp': return emitRamp(ctx, e.base, e.stride, lanes, mode);
    case 'BinaryOp': {
      const bc = e.b.kind === 'Broadcast' ? asConstInt(e.b.value) : undefined;
      // With -relaxed-simd=1, x + a·b becomes one relaxed_madd (fused where the CPU has FMA).
      const product = e.b.kind === 'BinaryOp' && e.b.op === 'mul' ? e.b : e.a.kind === 'BinaryOp' && e.a.op === 'mul' ? e.a : undefined;
      if (mode === 'v128' && elem === 'float32' && e.op === 'add' && ctx.opts.relaxedSimd && product) {
        const addend = product === e.b ? e.a : e.b;
        const x = emitVector(ctx, product.a, 'v128').parts;
        const y = emitVector(ctx, product.b, 'v128').parts;
        const z = emitVector(ctx, addend, 'v128').parts;
        return { mode, elem, parts: x.map((p, j) => emitRelaxedMadd(m, p, y[j]!, z[j]!)) };
      }
      if (mode === 'v128' && v128Binary(e.op, elem)) {
        const a = emitVector(ctx, e.a, 'v128').parts;
        const b = emitVector(ctx, e.b, 'v128').parts;
        return { mode, elem, parts: a.map((x, j) => v128BinaryOp(ctx, e.op, elem, x, b[j]!)) };
      }
      return lanesPerLane(ctx, e, ([a, b]) => a!.map((x, i) => binaryOnRefs(ctx, e.op, elem, x, b![i]!, bc)), e.a, e.b);
    }
    case 'CompareOp': {
      const opElem = elementType(e.a.dtype);
      if (mode === 'v128' && opElem !== 'bool') {
        const a = emitVector(ctx, e.a, 'v128').parts;
        const b = emitVector(ctx, e.b, 'v128').parts;
        return { mode, elem, parts: a.map((x, j) => v128Compare(ctx, e.op, opElem, x, b[j]!)) };
      }
      return lanesPerLane(ctx, e, ([a, b]) => a!.map((x, i) => compareOnRefs(ctx, e.op, e.a.dtype, x, b![i]!)), e.a, e.b);
    }
    case 'LogicalOp': {
      const a = emitVector(ctx, e.a, mode).parts;
      const b = emitVector(ctx, e.b, mode).parts;
      const f = mode === 'v128' ? (e.op === 'and' ? m.v128.and : m.v128.or) : (e.op === 'and' ? m.i32.and : m.i32.or);
      return { mode, elem, parts: a.map((x, j) => f(x, b[j]!)) };
    }
    case 'Not': {
      const a = emitVector(ctx, e.a, mode).parts;
      return { mode, elem, parts: a.map((x) => (mode === 'v128' ? m.v128.not(x) : m.i32.eqz(x))) };
    }
    case 'Select': {
      // A scalar condition choosing between vectors is broadcast (as a lane mask in v128 mode).
      const c = lanesOf(e.condition.dtype) === 1
        ? repeatScalar(ctx, emitScalar(ctx, e.condition), k).map((x) => (mode === 'v128' ? splat(ctx, 'bool', x) : x))
        : emitVector(ctx, e.condition, mode).parts;
      const t = emitVector(ctx, e.trueValue, mode).parts;
      const f = emitVector(ctx, e.falseValue, mode).parts;
      return { mode, elem, parts: c.map((x, j) => (mode === 'v128' ? m.v128.bitselect(t[j]!, f[j]!, x) : m.select(x, t[j]!, f[j]!))) };
    }
    case 'Cast': {
      const from = elementType(e.value.dtype);
      if (mode === 'v128' && from !== 'float16' && elem !== 'float16') {
        const a = emitVector(ctx, e.value, 'v128').parts;
        return { mode, elem, parts: a.map((x) => v128Cast(ctx, x, from, elem)) };
      }
      return lanesPerLane(ctx, e, ([a]) => a!.map((x) => convertScalar(ctx, x, from, elem)), e.value);
    }
    case 'Call': {
      if (e.op === 'tir.if_then_else') return emitIfThenElse(ctx, e, mode);
      if (mode === 'v128' && elem === 'float32' && v128Intrinsic(e.op)) {
        const args = e.args.map((a) => emitVector(ctx, a, 'v128').parts);
        return { mode, elem, parts: args[0]!.map((_, j) => v128IntrinsicOp(ctx, e.op, args.map((a) => a[j]!))) };
      }
      const argDtype = e.args[0]?.dtype;
      return lanesPerLane(ctx, e, (cols) => cols[0]!.map((_, i) => emitScalarIntrinsic(ctx, e.op, cols.map((c) => c[i]!), e.dtype, argDtype)), ...e.args);
    }
    case 'Let': {
      bindLet(ctx, e.variable, e.value);
      return emitVector(ctx, e.body, mode);
    }
    case 'Var': {
      const b = ctx.bindings.get(e);
      if (!b || b.kind !== 'vector') throw new Error(`wasm codegen: vector variable ${e.name} is used but not bound`);
      return { mode: b.mode, elem, parts: b.locals.map((l) => ctx.get(l)) };
    }
    case 'BufferLoad':
      if (e.indices.length !== 1) throw new Error(`wasm codegen: load of ${e.buffer.name} must be flattened to one index`);
      return emitVectorLoad(ctx, e.buffer, e.indices[0]!, lanes, mode);
    default:
      throw new Error(`wasm codegen: ${e.kind} cannot produce a vector value`);
  }
}

/**
 * A lazy tir.if_then_else on vectors: with one condition for all lanes, a branch whose arms each
 * produce all parts (hoisted to locals inside their arm); with a per-lane condition, the select
 * of clamped arms (tir/passes/if_then_else.ts).
 */
function emitIfThenElse(ctx: FuncContext, e: Call, mode: VecMode): Parts {
  if (lanesOf(e.args[0]!.dtype) > 1) return emitVector(ctx, ifThenElseAsSelect(e), mode);
  const m = ctx.m;
  const elem = elementType(e.dtype);
  const cached = new Map(ctx.loadCache);
  const arm = (x: PrimExpr): { stmts: Ref[]; parts: Parts } => {
    const saved = ctx.prelude.length;
    const parts = emitVector(ctx, x, mode);
    // Code the arm needed first (lets, hoisted values) belongs inside the arm's branch, and
    // loads it cached in locals are not set when the other arm runs.
    const stmts = ctx.prelude.splice(saved);
    ctx.loadCache.clear();
    for (const [k, v] of cached) ctx.loadCache.set(k, v);
    return { stmts, parts };
  };
  const t = arm(e.args[1]!);
  const f = arm(e.args[2]!);
  const type = mode === 'v128' ? binaryen.v128 : scalarWasmType(withLanes(e.dtype, 1), 'if_then_else');
  const locals = t.parts.parts.map(() => ctx.addLocal(type));
  const assign = (a: { stmts: Ref[]; parts: Parts }): Ref => m.block(null, [...a.stmts, ...a.parts.parts.map((p, j) => m.local.set(locals[j]!, p))]);
  ctx.prelude.push(m.if(emitScalar(ctx, e.args[0]!), assign(t), assign(f)));
  return { mode, elem, parts: locals.map((l) => ctx.get(l)) };
}

/** Binds a Let/LetStmt variable (scalar or vector) to locals computed in the prelude. */
export function bindLet(ctx: FuncContext, v: import('../../tir/nodes.js').Var, value: PrimExpr): void {
  if (lanesOf(value.dtype) === 1) {
    const l = ctx.addLocal(scalarWasmType(value.dtype, `let ${v.name}`));
    ctx.prelude.push(ctx.m.local.set(l, emitScalar(ctx, value)));
    ctx.bindings.set(v, { kind: 'local', local: l });
    return;
  }
  const p = emitVector(ctx, value);
  ctx.bindings.set(v, { kind: 'vector', mode: p.mode, locals: p.parts.map((x) => ctx.hoist(x)) });
}

function emitRamp(ctx: FuncContext, base: PrimExpr, stride: PrimExpr, lanes: number, mode: VecMode): Parts {
  const m = ctx.m;
  const s = asConstInt(stride);
  const k = partCount(lanes, mode);
  const bases = repeatScalar(ctx, emitScalar(ctx, base), k);
  if (mode === 'lanes') {
    const strides = s === undefined ? repeatScalar(ctx, emitScalar(ctx, stride), lanes) : [];
    return {
      mode, elem: 'int32',
      parts: bases.map((b, i) => (i === 0 ? b : s !== undefined ? m.i32.add(b, m.i32.const(i * s)) : m.i32.add(b, m.i32.mul(strides[i]!, m.i32.const(i))))),
    };
  }
  if (s !== undefined) {
    return { mode, elem: 'int32', parts: bases.map((b, j) => m.i32x4.add(m.i32x4.splat(b), i32x4Const(m, [0, 1, 2, 3].map((i) => (4 * j + i) * s)))) };
  }
  const strides = repeatScalar(ctx, emitScalar(ctx, stride), k);
  return {
    mode, elem: 'int32',
    parts: bases.map((b, j) => m.i32x4.add(m.i32x4.splat(b), m.i32x4.mul(m.i32x4.splat(strides[j]!), i32x4Const(m, [4 * j, 4 * j + 1, 4 * j + 2, 4 * j + 3])))),
  };
}

/** Loads `lanes` elements of `buf` at a vector index. */
function emitVectorLoad(ctx: FuncContext, buf: Buffer, index: PrimExpr, lanes: number, mode: VecMode): Parts {
  const m = ctx.m;
  const elem = elementType(buf.dtype);
  const home = ctx.homes.get(buf);
  if (!home) throw new Error(`wasm codegen: buffer ${buf.name} is used outside its allocation`);
  const contiguous = index.kind === 'Ramp' && asConstInt(index.stride) === 1;
  if (home.kind === 'memory') {
    if (contiguous && mode === 'v128' && elem !== 'bool') {
      // Unrolled bodies reload the same operand row many times; keep it in locals instead.
      const key = indexKey(ctx, index);
      const cacheKey = key === undefined ? undefined : `${buf.id}:${lanes}:${key}`;
      const hit = cacheKey === undefined ? undefined : ctx.loadCache.get(cacheKey);
      if (hit) return { mode, elem, parts: hit.map((l) => ctx.get(l)) };
      const a = emitAddress(ctx, home.baseLocal, index.base, 4);
      const ptrs = repeatScalar(ctx, a.ptr, lanes / 4);
      const parts = ptrs.map((p, j) => m.v128.load(a.offset + 16 * j, 4, p));
      if (cacheKey === undefined) return { mode, elem, parts };
      const locals = parts.map((p) => ctx.hoist(p));
      ctx.loadCache.set(cacheKey, locals);
      return { mode, elem, parts: locals.map((l) => ctx.get(l)) };
    }
    if (index.kind === 'Broadcast') {
      return { mode: 'lanes', elem, parts: repeatScalar(ctx, loadAt(ctx, buf, home.baseLocal, index.value), lanes) };
    }
    if (mode === 'v128' && (elem === 'float32' || elem === 'int32')) {
      // Strided reads and gathers, kept in locals like contiguous loads (unrolled tiles reload a weight column).
      const key = indexKey(ctx, index);
      const cacheKey = key === undefined ? undefined : `${buf.id}:${lanes}:${key}`;
      const hit = cacheKey === undefined ? undefined : ctx.loadCache.get(cacheKey);
      if (hit) return { mode, elem, parts: hit.map((l) => ctx.get(l)) };
      const stride = index.kind === 'Ramp' ? asConstInt(index.stride) : undefined;
      const parts = index.kind === 'Ramp' && (stride === 2 || stride === 3)
        ? emitStridedLoad(ctx, home.baseLocal, index.base, stride, lanes)
        : emitGather(ctx, home.baseLocal, index, lanes, () => emitVector(ctx, index, 'lanes').parts);
      if (cacheKey === undefined) return { mode, elem, parts };
      const locals = parts.map((p) => ctx.hoist(p));
      ctx.loadCache.set(cacheKey, locals);
      return { mode, elem, parts: locals.map((l) => ctx.get(l)) };
    }
    const idx = emitVector(ctx, index, 'lanes').parts;
    return { mode: 'lanes', elem, parts: idx.map((i) => loadRef(ctx, buf, home.baseLocal, i)) };
  }
  const size = home.kind === 'v128Locals' ? home.locals.length * 4 : home.locals.length;
  const first = index.kind === 'Ramp' ? tryConstInt(index.base, ctx.bindings) : undefined;
  const along = index.kind === 'Ramp' && asConstInt(index.stride) === homeStride(home);
  const ids = constLaneIndices(ctx, buf, index, lanes, size).map((i) => slotOf(home, i));
  if (home.kind === 'v128Locals' && along && mode === 'v128' && first !== undefined && ids[0]! % 4 === 0) {
    return { mode, elem, parts: Array.from({ length: lanes / 4 }, (_, j) => ctx.get(home.locals[ids[0]! / 4 + j]!)) };
  }
  const parts = ids.map((i) => {
    if (home.kind === 'scalarLocals') return ctx.get(home.locals[i]!);
    const v = ctx.get(home.locals[i >> 2]!);
    return elem === 'float32' ? m.f32x4.extract_lane(v, i & 3) : m.i32x4.extract_lane(v, i & 3);
  });
  return { mode: 'lanes', elem, parts };
}

/** A structural key of an index expression (constants folded), or undefined when not keyable. */
function indexKey(ctx: FuncContext, e: PrimExpr): string | undefined {
  switch (e.kind) {
    case 'IntImm': return String(e.value);
    case 'Var': {
      const b = ctx.bindings.get(e);
      if (b?.kind === 'const') return String(b.value);
      return b?.kind === 'local' ? `v${b.local}` : undefined;
    }
    case 'BinaryOp': {
      const a = indexKey(ctx, e.a);
      const b = indexKey(ctx, e.b);
      return a === undefined || b === undefined ? undefined : `(${e.op} ${a} ${b})`;
    }
    case 'Ramp': {
      const a = indexKey(ctx, e.base);
      const b = indexKey(ctx, e.stride);
      return a === undefined || b === undefined ? undefined : `(ramp ${a} ${b} ${e.lanes})`;
    }
    default: return undefined;
  }
}

function constLaneIndices(ctx: FuncContext, buf: Buffer, index: PrimExpr, lanes: number, size: number): number[] {
  if (index.kind === 'Ramp') {
    const b = tryConstInt(index.base, ctx.bindings);
    const s = tryConstInt(index.stride, ctx.bindings);
    if (b !== undefined && s !== undefined) {
      const ids = Array.from({ length: lanes }, (_, i) => b + i * s);
      for (const i of ids) if (i < 0 || i >= size) throw new Error(`wasm codegen: index ${i} out of bounds of ${buf.name} (size ${size})`);
      return ids;
    }
  }
  if (index.kind === 'Broadcast') return new Array<number>(lanes).fill(constIndex(ctx, buf, index.value, size));
  throw new Error(`wasm codegen: internal: vector index of promoted buffer ${buf.name} is not constant`);
}

function loadAt(ctx: FuncContext, buf: Buffer, baseLocal: number, index: PrimExpr): Ref {
  return loadRef(ctx, buf, baseLocal, emitScalar(ctx, index));
}

function loadRef(ctx: FuncContext, buf: Buffer, baseLocal: number, index: Ref): Ref {
  const m = ctx.m;
  const esize = storeBytes(buf.dtype);
  const ptr = m.i32.add(ctx.get(baseLocal), esize === 1 ? index : m.i32.shl(index, m.i32.const(2)));
  switch (elementType(buf.dtype)) {
    case 'float32': return m.f32.load(0, 4, ptr);
    case 'int32': return m.i32.load(0, 4, ptr);
    default: return m.i32.load8_u(0, 1, ptr);
  }
}

function storeRef(ctx: FuncContext, buf: Buffer, baseLocal: number, index: Ref, value: Ref): Ref {
  const m = ctx.m;
  const esize = storeBytes(buf.dtype);
  const ptr = m.i32.add(ctx.get(baseLocal), esize === 1 ? index : m.i32.shl(index, m.i32.const(2)));
  switch (elementType(buf.dtype)) {
    case 'float32': return m.f32.store(0, 4, ptr, value);
    case 'int32': return m.i32.store(0, 4, ptr, value);
    default: return m.i32.store8(0, 1, ptr, value);
  }
}

export function readsBuffer(e: PrimExpr, buf: Buffer): boolean {
  let found = false;
  class V extends StmtExprVisitor {
    override visitBufferAccess(b: Buffer): void {
      if (b === buf) found = true;
    }
  }
  new V().visitExpr(e);
  return found;
}

/** Stores a vector value; returns the statement (the caller wraps it with the prelude). */
export function emitVectorStore(ctx: FuncContext, buf: Buffer, index: PrimExpr, value: PrimExpr): Ref {
  const m = ctx.m;
  const lanes = lanesOf(value.dtype);
  const elem = elementType(buf.dtype);
  const home = ctx.homes.get(buf);
  if (!home) throw new Error(`wasm codegen: buffer ${buf.name} is stored outside its allocation`);
  // Whole v128 values: contiguous in memory, or along the stride of a transposed promoted buffer.
  const along = index.kind === 'Ramp' && asConstInt(index.stride) === homeStride(home);
  const useV128 = ctx.opts.simd && lanes % 4 === 0 && elem !== 'bool' && along;
  // A scattered store (stride ≠ 1: a sub-pixel ConvTranspose's phase, a tile along channels) still computes
  // its value in f32x4 and extracts the lanes at the end: in 'lanes' mode every op of the value, a fused
  // epilogue's sigmoid or relu included, ran once per lane as scalar code.
  const simdValue = useV128 || (ctx.opts.simd && lanes % 4 === 0 && (elem === 'float32' || elem === 'int32'));
  let parts = emitVector(ctx, value, simdValue ? 'v128' : 'lanes').parts;
  // Vector semantics read every lane before writing any: hoist when the value reads the target.
  if (parts.length > 1 && readsBuffer(value, buf)) parts = parts.map((p) => ctx.get(ctx.hoist(p)));
  if (simdValue && !useV128) parts = toMode(ctx, { mode: 'v128', elem, parts }, 'lanes').parts;
  if (home.kind === 'memory') {
    ctx.invalidateLoads(buf.id);
    if (useV128 && index.kind === 'Ramp') {
      const a = emitAddress(ctx, home.baseLocal, index.base, 4);
      const ptrs = repeatScalar(ctx, a.ptr, parts.length);
      return m.block(null, parts.map((p, j) => m.v128.store(a.offset + 16 * j, 4, ptrs[j]!, p)));
    }
    const idx = emitVector(ctx, index, 'lanes').parts;
    return m.block(null, parts.map((p, i) => storeRef(ctx, buf, home.baseLocal, idx[i]!, p)));
  }
  const size = home.kind === 'v128Locals' ? home.locals.length * 4 : home.locals.length;
  const ids = constLaneIndices(ctx, buf, index, lanes, size).map((i) => slotOf(home, i));
  if (home.kind === 'v128Locals' && useV128 && ids[0]! % 4 === 0) {
    return m.block(null, parts.map((p, j) => m.local.set(home.locals[ids[0]! / 4 + j]!, p)));
  }
  const lanesVals = toMode(ctx, { mode: useV128 ? 'v128' : 'lanes', elem, parts }, 'lanes').parts;
  return m.block(null, ids.map((i, n) => {
    if (home.kind === 'scalarLocals') return m.local.set(home.locals[i]!, lanesVals[n]!);
    const l = home.locals[i >> 2]!;
    const v = isFloat(buf.dtype) ? m.f32x4.replace_lane(ctx.get(l), i & 3, lanesVals[n]!) : m.i32x4.replace_lane(ctx.get(l), i & 3, lanesVals[n]!);
    return m.local.set(l, v);
  }));
}
