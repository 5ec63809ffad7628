// codegen/wasm/simd_interleave.ts — two stride-2 vector stores that fill each other's gaps, as a sub-pixel
// ConvTranspose's two width phases do (Y[Ramp(B, 2, L)] = a; Y[Ramp(B + 1, 2, L)] = b, siblings in one loop
// body), become interleaving shuffles and contiguous stores: per 4-lane part j, i8x16.shuffle(a_j, b_j)
// picks lanes a0 b0 a1 b1 and a2 b2 a3 b3, two v128.stores — instead of 8 extract_lanes and 8 scalar stores
// (the lanes of SSE's unpacklo_ps/unpackhi_ps, NEON's vzip). Both values are computed
// before either store, which is the two statements' meaning only when neither value nor index reads the stored
// buffer; otherwise (or with SIMD off, bool or int8 elements, a buffer in locals) the statements are left alone.

import { asConstInt, elementType, lanesOf, type BufferStore, type PrimExpr, type Stmt } from '../../tir/nodes.js';
import { structuralEqual } from '../../tir/structural.js';
import { tryConstInt } from './analysis.js';
import { emitAddress } from './expr_emitter.js';
import type { FuncContext, Ref } from './func_context.js';
import { emitVector, readsBuffer } from './simd.js';
import { repeatScalar } from './simd_gather.js';

/** `e` as (rest, c) with e = rest + c for a constant c (c = 0 when there is none). */
function splitConst(ctx: FuncContext, e: PrimExpr): [PrimExpr | undefined, number] {
  const whole = tryConstInt(e, ctx.bindings);
  if (whole !== undefined) return [undefined, whole];
  if (e.kind === 'BinaryOp' && e.op === 'add') {
    const c = tryConstInt(e.b, ctx.bindings);
    if (c !== undefined) return [e.a, c];
  }
  return [e, 0];
}

/** The stride-2 Ramp base of a vector store to memory that could pair, or undefined. */
function stride2Base(ctx: FuncContext, s: Stmt): PrimExpr | undefined {
  if (s.kind !== 'BufferStore' || s.indices.length !== 1) return undefined;
  const index = s.indices[0]!;
  const lanes = lanesOf(s.value.dtype);
  const elem = elementType(s.buffer.dtype);
  if (index.kind !== 'Ramp' || asConstInt(index.stride) !== 2 || lanes % 4 !== 0) return undefined;
  if (elem !== 'float32' && elem !== 'int32') return undefined;
  if (ctx.homes.get(s.buffer)?.kind !== 'memory') return undefined;
  return index.base;
}

/**
 * The pair (first, second) of sibling statements as interleaved v128 stores, or undefined when they are not
 * two stride-2 stores of the same lane count to the same buffer at bases B and B + 1 (either order).
 */
export function emitInterleavedPair(ctx: FuncContext, first: Stmt, second: Stmt): Ref | undefined {
  if (!ctx.opts.simd) return undefined;
  const [ba, bb] = [stride2Base(ctx, first), stride2Base(ctx, second)];
  if (ba === undefined || bb === undefined) return undefined;
  const [s1, s2] = [first as BufferStore, second as BufferStore];
  if (s1.buffer !== s2.buffer || lanesOf(s1.value.dtype) !== lanesOf(s2.value.dtype)) return undefined;
  const [ra, ca] = splitConst(ctx, ba);
  const [rb, cb] = splitConst(ctx, bb);
  if (Math.abs(cb - ca) !== 1 || (ra === undefined) !== (rb === undefined) || (ra && rb && !structuralEqual(ra, rb))) return undefined;
  if ([s1.value, s2.value, ba, bb].some((e) => readsBuffer(e, s1.buffer))) return undefined;
  // even: the store whose base is the lower one (its lanes land on B, B+2, …).
  const [even, odd, base] = ca < cb ? [s1, s2, ba] : [s2, s1, bb];
  const home = ctx.homes.get(s1.buffer);
  if (home?.kind !== 'memory') return undefined;
  return ctx.withPrelude(() => {
    const m = ctx.m;
    const hold = (p: Ref): (() => Ref) => {
      const l = ctx.hoist(p);
      return () => ctx.get(l);
    };
    const a = emitVector(ctx, even.value, 'v128').parts.map(hold);
    const b = emitVector(ctx, odd.value, 'v128').parts.map(hold);
    ctx.invalidateLoads(s1.buffer.id);
    const addr = emitAddress(ctx, home.baseLocal, base, 4);
    const ptrs = repeatScalar(ctx, addr.ptr, 2 * a.length);
    const bytes = (lanes: number[]): number[] => lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
    const [lo, hi] = [bytes([0, 4, 1, 5]), bytes([2, 6, 3, 7])];
    return m.block(null, a.flatMap((aj, j) => [
      m.v128.store(addr.offset + 32 * j, 4, ptrs[2 * j]!, m.i8x16.shuffle(aj(), b[j]!(), lo)),
      m.v128.store(addr.offset + 32 * j + 16, 4, ptrs[2 * j + 1]!, m.i8x16.shuffle(aj(), b[j]!(), hi)),
    ]));
  });
}
