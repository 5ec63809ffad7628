// codegen/wasm/expr_emitter.ts — scalar TIR expressions → binaryen expressions (f32 / i32),
// plus the address arithmetic shared with the vector emitter.

import binaryen from 'binaryen';
import {
  asConstInt, elementType, isFloat, lanesOf,
  type BinaryOp, type BinaryOpName, type Buffer, type Cast, type CompareOp, type CompareOpName, type DataType, type PrimExpr,
} from '../../tir/nodes.js';
import { tryConstInt } from './analysis.js';
import { scalarWasmType, slotOf, storeBytes, type FuncContext, type Ref } from './func_context.js';
import { emitScalarIntrinsic } from './intrinsics.js';
import { reducedAddress } from './strength_reduce.js';

/** A memory address as pointer expression + constant byte offset (wasm's memarg offset). */
export interface Address { readonly ptr: Ref; readonly offset: number }

const MAX_OFFSET = 0x3fffffff;
/**
 * The most bytes of `x + c` folded into the memarg offset: the runtime never places a buffer
 * below 64 KiB, so base + x·size stays non-negative whenever the whole access is in bounds.
 */
const MAX_FOLDED = 65536;

/**
 * base + index * elementBytes, with constant parts of the index folded into the offset; in an innermost
 * loop being strength-reduced, a pointer bumped per iteration for an index linear in its variable.
 */
export function emitAddress(ctx: FuncContext, baseLocal: number, index: PrimExpr, esize: number): Address {
  const m = ctx.m;
  const scaled = (x: Ref): Ref => (esize === 1 ? x : m.i32.shl(x, m.i32.const(Math.log2(esize))));
  const c = tryConstInt(index, ctx.bindings);
  if (c !== undefined && c >= 0 && c * esize <= MAX_OFFSET) return { ptr: ctx.get(baseLocal), offset: c * esize };
  const reduced = reducedAddress(ctx, baseLocal, index, esize, MAX_FOLDED);
  if (reduced) return reduced;
  if (index.kind === 'BinaryOp' && index.op === 'add') {
    const k = tryConstInt(index.b, ctx.bindings);
    if (k !== undefined && k >= 0 && k * esize <= MAX_FOLDED) {
      return { ptr: m.i32.add(ctx.get(baseLocal), scaled(emitScalar(ctx, index.a))), offset: k * esize };
    }
  }
  return { ptr: m.i32.add(ctx.get(baseLocal), scaled(emitScalar(ctx, index))), offset: 0 };
}

/** Loads one scalar element of `buf` at a scalar index (memory or promoted locals). */
export function emitScalarLoad(ctx: FuncContext, buf: Buffer, index: PrimExpr): Ref {
  const m = ctx.m;
  const home = ctx.homes.get(buf);
  if (!home) throw new Error(`wasm codegen: buffer ${buf.name} is used outside its allocation (not a parameter and not allocated here)`);
  if (home.kind !== 'memory') {
    const i = slotOf(home, constIndex(ctx, buf, index, home.kind === 'v128Locals' ? home.locals.length * 4 : home.locals.length));
    if (home.kind === 'scalarLocals') return ctx.get(home.locals[i]!);
    const v = ctx.get(home.locals[i >> 2]!);
    return elementType(buf.dtype) === 'float32' ? m.f32x4.extract_lane(v, i & 3) : m.i32x4.extract_lane(v, i & 3);
  }
  const esize = storeBytes(buf.dtype);
  const a = emitAddress(ctx, home.baseLocal, index, esize);
  switch (elementType(buf.dtype)) {
    case 'float32': return m.f32.load(a.offset, 4, a.ptr);
    case 'int32': return m.i32.load(a.offset, 4, a.ptr);
    case 'bool': return m.i32.load8_u(a.offset, 1, a.ptr);
    default: throw new Error(`wasm codegen: load of ${buf.dtype} is not supported`);
  }
}

/** Stores one scalar element. */
export function emitScalarStore(ctx: FuncContext, buf: Buffer, index: PrimExpr, value: Ref): Ref {
  const m = ctx.m;
  const home = ctx.homes.get(buf);
  if (!home) throw new Error(`wasm codegen: buffer ${buf.name} is stored outside its allocation`);
  if (home.kind !== 'memory') {
    const i = slotOf(home, constIndex(ctx, buf, index, home.kind === 'v128Locals' ? home.locals.length * 4 : home.locals.length));
    if (home.kind === 'scalarLocals') return m.local.set(home.locals[i]!, value);
    const l = home.locals[i >> 2]!;
    const v = elementType(buf.dtype) === 'float32'
      ? m.f32x4.replace_lane(ctx.get(l), i & 3, value) : m.i32x4.replace_lane(ctx.get(l), i & 3, value);
    return m.local.set(l, v);
  }
  ctx.invalidateLoads(buf.id);
  const esize = storeBytes(buf.dtype);
  const a = emitAddress(ctx, home.baseLocal, index, esize);
  switch (elementType(buf.dtype)) {
    case 'float32': return m.f32.store(a.offset, 4, a.ptr, value);
    case 'int32': return m.i32.store(a.offset, 4, a.ptr, value);
    case 'bool': return m.i32.store8(a.offset, 1, a.ptr, value);
    default: throw new Error(`wasm codegen: store of ${buf.dtype} is not supported`);
  }
}

/** The constant element index of an access to a promoted buffer (checked against its size). */
export function constIndex(ctx: FuncContext, buf: Buffer, index: PrimExpr, size: number): number {
  const i = tryConstInt(index, ctx.bindings);
  if (i === undefined) throw new Error(`wasm codegen: internal: index of promoted buffer ${buf.name} is not constant`);
  if (i < 0 || i >= size) throw new Error(`wasm codegen: index ${i} out of bounds of ${buf.name} (size ${size})`);
  return i;
}

export function emitScalar(ctx: FuncContext, e: PrimExpr): Ref {
  const m = ctx.m;
  if (lanesOf(e.dtype) !== 1) throw new Error(`wasm codegen: internal: vector ${e.kind} (${e.dtype}) in scalar context`);
  switch (e.kind) {
    case 'IntImm': return m.i32.const(e.value);
    case 'FloatImm':
      if (elementType(e.dtype) !== 'float32') throw new Error(`wasm codegen: ${e.dtype} constants are not supported`);
      return m.f32.const(e.value);
    case 'Var': {
      const b = ctx.bindings.get(e);
      if (!b) throw new Error(`wasm codegen: variable ${e.name} is used but not bound`);
      if (b.kind === 'const') return m.i32.const(b.value);
      if (b.kind === 'local') return ctx.get(b.local);
      throw new Error(`wasm codegen: internal: vector variable ${e.name} in scalar context`);
    }
    case 'BinaryOp': return emitBinary(ctx, e);
    case 'CompareOp': return emitCompare(ctx, e);
    case 'LogicalOp': {
      const a = emitScalar(ctx, e.a);
      const b = emitScalar(ctx, e.b);
      // Short-circuit, as guards like `i < n && A[i] > 0` expect.
      return e.op === 'and' ? m.if(a, b, m.i32.const(0)) : m.if(a, m.i32.const(1), b);
    }
    case 'Not': return m.i32.eqz(emitScalar(ctx, e.a));
    case 'Select':
      return m.select(emitScalar(ctx, e.condition), emitScalar(ctx, e.trueValue), emitScalar(ctx, e.falseValue));
    case 'Cast': return emitCast(ctx, e);
    case 'Call':
      if (e.op === 'tir.if_then_else') {
        // Lazy: a branch, so the arm not taken (which may read out of bounds) never runs.
        const [c, t, f] = e.args as [PrimExpr, PrimExpr, PrimExpr];
        return m.if(emitScalar(ctx, c), emitScalar(ctx, t), emitScalar(ctx, f));
      }
      return emitScalarIntrinsic(ctx, e.op, e.args.map((a) => emitScalar(ctx, a)), e.dtype, e.args[0]?.dtype);
    case 'Let': {
      const v = emitScalar(ctx, e.value);
      const l = ctx.addLocal(scalarWasmType(e.variable.dtype, `let ${e.variable.name}`));
      ctx.bindings.set(e.variable, { kind: 'local', local: l });
      const body = emitScalar(ctx, e.body);
      return m.block(null, [m.local.set(l, v), body], scalarWasmType(e.dtype, 'let body'));
    }
    case 'BufferLoad':
      if (e.indices.length !== 1) {
        throw new Error(`wasm codegen: load of ${e.buffer.name} has ${e.indices.length} indices; buffers must be flattened to 1-D first`);
      }
      return emitScalarLoad(ctx, e.buffer, e.indices[0]!);
    case 'Ramp':
    case 'Broadcast':
      throw new Error(`wasm codegen: internal: ${e.kind} in scalar context`);
    case 'ProducerLoad':
    case 'Reduce':
      throw new Error(`wasm codegen: ${e.kind} must be lowered before code generation`);
  }
}

/** Two operands usable twice: each is evaluated once into a local with tee, then read back. */
function tee2(ctx: FuncContext, a: Ref, b: Ref): { ta: Ref; tb: Ref; a: () => Ref; b: () => Ref } {
  const la = ctx.addLocal(binaryen.getExpressionType(a));
  const lb = ctx.addLocal(binaryen.getExpressionType(b));
  return { ta: ctx.m.local.tee(la, a, ctx.localType(la)), tb: ctx.m.local.tee(lb, b, ctx.localType(lb)), a: () => ctx.get(la), b: () => ctx.get(lb) };
}

function emitBinary(ctx: FuncContext, e: BinaryOp): Ref {
  const bc = asConstInt(e.b);
  return binaryOnRefs(ctx, e.op, e.dtype, emitScalar(ctx, e.a), emitScalar(ctx, e.b), bc);
}

/** A scalar binary operation on emitted operands; `bConst` is b's value when it is a constant. */
export function binaryOnRefs(ctx: FuncContext, op: BinaryOpName, dtype: DataType, a: Ref, b: Ref, bConst?: number): Ref {
  const m = ctx.m;
  if (isFloat(dtype)) {
    scalarWasmType(dtype, op);
    switch (op) {
      case 'add': return m.f32.add(a, b);
      case 'sub': return m.f32.sub(a, b);
      case 'mul': return m.f32.mul(a, b);
      case 'div': return m.f32.div(a, b);
      case 'min': return m.f32.min(a, b);
      case 'max': return m.f32.max(a, b);
      default: throw new Error(`wasm codegen: ${op} on ${dtype}`);
    }
  }
  // Power-of-two divisors (the common case after split) become shifts and masks.
  if (bConst !== undefined && bConst > 0 && (bConst & (bConst - 1)) === 0) {
    if (op === 'floordiv') return m.i32.shr_s(a, m.i32.const(Math.log2(bConst)));
    if (op === 'floormod') return m.i32.and(a, m.i32.const(bConst - 1));
  }
  switch (op) {
    case 'add': return m.i32.add(a, b);
    case 'sub': return m.i32.sub(a, b);
    case 'mul': return m.i32.mul(a, b);
    case 'div': return m.i32.div_s(a, b);
    case 'mod': return m.i32.rem_s(a, b);
    case 'min': {
      const t = tee2(ctx, a, b);
      return m.select(m.i32.lt_s(t.a(), t.b()), t.ta, t.tb);
    }
    case 'max': {
      const t = tee2(ctx, a, b);
      return m.select(m.i32.gt_s(t.a(), t.b()), t.ta, t.tb);
    }
    case 'floordiv': {
      // q = a / b (truncating); subtract 1 when the remainder is non-zero and its sign differs from b's.
      const t = tee2(ctx, a, b);
      const lq = ctx.addLocal(binaryen.i32);
      const q = m.local.tee(lq, m.i32.div_s(t.ta, t.tb), binaryen.i32);
      const r = m.i32.sub(t.a(), m.i32.mul(ctx.get(lq), t.b()));
      const lr = ctx.addLocal(binaryen.i32);
      const fix = m.i32.and(
        m.i32.ne(m.local.tee(lr, r, binaryen.i32), m.i32.const(0)),
        m.i32.lt_s(m.i32.xor(ctx.get(lr), t.b()), m.i32.const(0)),
      );
      return m.i32.sub(q, fix);
    }
    case 'floormod': {
      const t = tee2(ctx, a, b);
      const lr = ctx.addLocal(binaryen.i32);
      const r = m.local.tee(lr, m.i32.rem_s(t.ta, t.tb), binaryen.i32);
      const needFix = m.i32.and(
        m.i32.ne(ctx.get(lr), m.i32.const(0)),
        m.i32.lt_s(m.i32.xor(ctx.get(lr), t.b()), m.i32.const(0)),
      );
      return m.i32.add(r, m.select(needFix, t.b(), m.i32.const(0)));
    }
  }
}

function emitCompare(ctx: FuncContext, e: CompareOp): Ref {
  return compareOnRefs(ctx, e.op, e.a.dtype, emitScalar(ctx, e.a), emitScalar(ctx, e.b));
}

/** A scalar comparison on emitted operands of dtype `operand`; yields i32 0 / 1. */
export function compareOnRefs(ctx: FuncContext, op: CompareOpName, operand: DataType, a: Ref, b: Ref): Ref {
  const m = ctx.m;
  if (isFloat(operand)) {
    const f = m.f32;
    switch (op) {
      case 'eq': return f.eq(a, b);
      case 'ne': return f.ne(a, b);
      case 'lt': return f.lt(a, b);
      case 'le': return f.le(a, b);
      case 'gt': return f.gt(a, b);
      case 'ge': return f.ge(a, b);
    }
  }
  const i = m.i32;
  switch (op) {
    case 'eq': return i.eq(a, b);
    case 'ne': return i.ne(a, b);
    case 'lt': return i.lt_s(a, b);
    case 'le': return i.le_s(a, b);
    case 'gt': return i.gt_s(a, b);
    case 'ge': return i.ge_s(a, b);
  }
}

/** Scalar conversion between f32 / i32 / bool (float → int truncates toward zero, saturating). */
export function convertScalar(ctx: FuncContext, v: Ref, from: string, to: string): Ref {
  const m = ctx.m;
  if (from === to) return v;
  if (to === 'bool') return from === 'float32' ? m.f32.ne(v, m.f32.const(0)) : m.i32.ne(v, m.i32.const(0));
  if (to === 'float32') return m.f32.convert_s.i32(v);
  if (to === 'int32') return from === 'float32' ? m.i32.trunc_s_sat.f32(v) : v;
  throw new Error(`wasm codegen: cast from ${from} to ${to} is not supported`);
}

function emitCast(ctx: FuncContext, e: Cast): Ref {
  scalarWasmType(e.dtype, 'cast');
  scalarWasmType(e.value.dtype, 'cast');
  return convertScalar(ctx, emitScalar(ctx, e.value), elementType(e.value.dtype), elementType(e.dtype));
}
