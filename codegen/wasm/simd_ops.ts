// codegen/wasm/simd_ops.ts — single v128 instructions for TIR operators: which operators have a
// lane-wise f32x4/i32x4 form, and emitting them (bools are all-ones/zero lane masks).

import binaryen from 'binaryen';
import type { IntrinsicName, ScalarType } from '../../tir/nodes.js';
import type { FuncContext, Ref } from './func_context.js';
import { emitRelaxedMadd } from './relaxed.js';
import { emitVectorMath, hasVectorMath } from './vector_math.js';

export function i32x4Const(m: binaryen.Module, v: readonly number[]): Ref {
  const bytes = new Uint8Array(new Int32Array(v).buffer);
  return m.v128.const(Array.from(bytes));
}

export function v128Binary(op: string, elem: ScalarType): boolean {
  if (elem === 'float32') return ['add', 'sub', 'mul', 'div', 'min', 'max'].includes(op);
  return elem === 'int32' && ['add', 'sub', 'mul', 'min', 'max'].includes(op);
}

export function v128BinaryOp(ctx: FuncContext, op: string, elem: ScalarType, a: Ref, b: Ref): Ref {
  const m = ctx.m;
  if (elem === 'float32') {
    switch (op) {
      case 'add': return m.f32x4.add(a, b);
      case 'sub': return m.f32x4.sub(a, b);
      case 'mul': return m.f32x4.mul(a, b);
      case 'div': return m.f32x4.div(a, b);
      case 'min': return m.f32x4.min(a, b);
      default: return m.f32x4.max(a, b);
    }
  }
  switch (op) {
    case 'add': return m.i32x4.add(a, b);
    case 'sub': return m.i32x4.sub(a, b);
    case 'mul': return m.i32x4.mul(a, b);
    case 'min': return m.i32x4.min_s(a, b);
    default: return m.i32x4.max_s(a, b);
  }
}

export function v128Compare(ctx: FuncContext, op: string, elem: ScalarType, a: Ref, b: Ref): Ref {
  const m = ctx.m;
  if (elem === 'float32') {
    const f = m.f32x4;
    const map: Record<string, (x: Ref, y: Ref) => Ref> = { eq: f.eq, ne: f.ne, lt: f.lt, le: f.le, gt: f.gt, ge: f.ge };
    return map[op]!(a, b);
  }
  const i = m.i32x4;
  const map: Record<string, (x: Ref, y: Ref) => Ref> = { eq: i.eq, ne: i.ne, lt: i.lt_s, le: i.le_s, gt: i.gt_s, ge: i.ge_s };
  return map[op]!(a, b);
}

export function v128Cast(ctx: FuncContext, x: Ref, from: ScalarType, to: ScalarType): Ref {
  const m = ctx.m;
  const zero = (): Ref => m.v128.const(new Array<number>(16).fill(0));
  const asInt = from === 'bool' ? m.v128.and(x, m.i32x4.splat(m.i32.const(1))) : from === 'float32' ? null : x;
  if (to === 'bool') return from === 'float32' ? m.f32x4.ne(x, zero()) : from === 'bool' ? x : m.i32x4.ne(x, zero());
  if (to === 'float32') return from === 'float32' ? x : m.f32x4.convert_i32x4_s(asInt!);
  if (to === 'int32') return from === 'float32' ? m.i32x4.trunc_sat_f32x4_s(x) : asInt!;
  throw new Error(`wasm codegen: vector cast from ${from} to ${to} is not supported`);
}

export function v128Intrinsic(op: IntrinsicName): boolean {
  return ['sqrt', 'rsqrt', 'abs', 'floor', 'ceil', 'trunc', 'round', 'fma'].includes(op) || hasVectorMath(op);
}

export function v128IntrinsicOp(ctx: FuncContext, op: IntrinsicName, a: readonly Ref[]): Ref {
  const f = ctx.m.f32x4;
  switch (op) {
    case 'sqrt': return f.sqrt(a[0]!);
    case 'rsqrt': return f.div(f.splat(ctx.m.f32.const(1)), f.sqrt(a[0]!));
    case 'abs': return f.abs(a[0]!);
    case 'floor': return f.floor(a[0]!);
    case 'ceil': return f.ceil(a[0]!);
    case 'trunc': return f.trunc(a[0]!);
    case 'round': return f.nearest(a[0]!);
    case 'fma': return ctx.opts.relaxedSimd ? emitRelaxedMadd(ctx.m, a[0]!, a[1]!, a[2]!) : f.add(f.mul(a[0]!, a[1]!), a[2]!);
    default: return emitVectorMath(ctx.mod, op, a);
  }
}
