// codegen/wasm/simd_gather.ts — non-contiguous vector loads of 4-byte elements as v128 pieces:
// stride-2/3 Ramps by two contiguous loads and a shuffle, other gathers built lane by lane in place.

import { asConstInt, type PrimExpr } from '../../tir/nodes.js';
import { emitAddress } from './expr_emitter.js';
import type { FuncContext, Ref } from './func_context.js';

/** Repeats a scalar value as `n` expressions, through a local when n > 1. */
export function repeatScalar(ctx: FuncContext, v: Ref, n: number): Ref[] {
  if (n === 1) return [v];
  const l = ctx.hoist(v);
  return Array.from({ length: n }, () => ctx.get(l));
}

/** The f32 lanes of (lo, hi) each 4-lane piece of a stride-2 / stride-3 load picks (see emitStridedLoad). */
const STRIDED_PICK: Readonly<Record<2 | 3, readonly number[]>> = { 2: [0, 2, 5, 7], 3: [0, 3, 4, 7] };

/**
 * A Ramp load of stride 2 or 3 (4-byte elements) as v128 pieces: each 4-lane piece, whose lanes are
 * elements p, p+s, p+2s, p+3s, from two contiguous v128 loads — lo at p, hi ending at p+3s — and one
 * i8x16.shuffle picking lanes (as XNNPACK's stride-2 CHW depthwise kernels deinterleave contiguous
 * loads), instead of 4 scalar loads and 4 lane inserts. Reads only elements in [p, p+3s], which lie
 * between the piece's first and last lane, so it is in bounds wherever the per-lane loads are.
 */
export function emitStridedLoad(ctx: FuncContext, baseLocal: number, base: PrimExpr, s: 2 | 3, lanes: number): Ref[] {
  const m = ctx.m;
  const a = emitAddress(ctx, baseLocal, base, 4);
  const k = lanes / 4;
  const ptrs = repeatScalar(ctx, a.ptr, 2 * k);
  const mask = STRIDED_PICK[s].flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
  return Array.from({ length: k }, (_, j) => {
    const first = a.offset + 16 * j * s;
    return m.i8x16.shuffle(m.v128.load(first, 4, ptrs[2 * j]!), m.v128.load(first + 4 * (3 * s - 3), 4, ptrs[2 * j + 1]!), mask);
  });
}

/** Largest byte offset folded into a gather lane's memarg (as emitAddress folds a constant term). */
const MAX_LANE_OFFSET = 1 << 20;

/**
 * Any other vector load of 4-byte elements (a gather: a weight column, a channel-strided read) as v128
 * pieces built in place: v128.load32_zero for lane 0 and v128.load32_lane for lanes 1–3, rather than
 * scalar loads, a splat and three replace_lanes. A Ramp of constant stride s ≥ 0 addresses every lane
 * from one pointer with the constant offsets 4·s·i in the memarg.
 */
export function emitGather(
  ctx: FuncContext, baseLocal: number, index: PrimExpr, lanes: number, laneIndices: () => readonly Ref[],
): Ref[] {
  const m = ctx.m;
  const s = index.kind === 'Ramp' ? asConstInt(index.stride) : undefined;
  let addr: (i: number) => { ptr: Ref; offset: number };
  if (index.kind === 'Ramp' && s !== undefined && s >= 0 && 4 * s * lanes <= MAX_LANE_OFFSET) {
    const a = emitAddress(ctx, baseLocal, index.base, 4);
    const ptrs = repeatScalar(ctx, a.ptr, lanes);
    addr = (i) => ({ ptr: ptrs[i]!, offset: a.offset + 4 * s * i });
  } else {
    const idx = laneIndices();
    addr = (i) => ({ ptr: m.i32.add(ctx.get(baseLocal), m.i32.shl(idx[i]!, m.i32.const(2))), offset: 0 });
  }
  return Array.from({ length: lanes / 4 }, (_, j) => {
    const first = addr(4 * j);
    let v = m.v128.load32_zero(first.offset, 4, first.ptr);
    for (let i = 1; i < 4; i++) {
      const a = addr(4 * j + i);
      v = m.v128.load32_lane(a.offset, 4, i, a.ptr, v);
    }
    return v;
  });
}
