// ops/templates/conv2d_nchwc_wasm.ts — the tunable wasm schedule of conv2d_NCHWc (TVM x86 _schedule_conv_NCHWc,
// shaped for wasm SIMD): per parallel task a row block of reg_n output pixels × one channel block of ocb;
// the ocb output channels are the f32x4 vector lanes, each input value is broadcast across them, and the
// reg_n·ocb/4 accumulators stay in locals; the reduction (channel blocks, kernel window, channels in block)
// runs outside the register tile.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { finishConvWasm, paddedInputs } from './conv_wasm_common.js';
import { fuseEpilogue } from './epilogue.js';

/** Register tile limit: reg_n · oh · ocb floats (32 f32x4 vectors; wasm has no fixed register file, V8 maps ~16). */
const MAX_TILE_FLOATS = 128;

/** Accumulator vectors of the default tile. With the broadcast input value and the ocb/4 weight vectors, 8
 * fits the 15 xmm registers V8 allocates on x64; 14 (7 pixels × 8 channels, the old default) spilled: C6
 * (28², ocb 8) went from 27 to 34 GFLOP/s with 4 pixels instead of 7, C12 (7², ocb 8) from 18–22 to 26–28
 * with 4 + a guarded tail of 3 (bench, CPU time, loaded 2-core VM, 2026-11-30). */
const DEFAULT_ACC_VECTORS = 8;

/**
 * The default [tile_ow, tile_oh]: the widest divisor of OW, then the tallest divisor of OH (≤ 4), whose
 * pixels × ocb/4 stay within DEFAULT_ACC_VECTORS; when they fill only half of it, taller rows with a guarded
 * last one if that wastes little (14 × 7: [2, 2]); when no divisor fills half of it (a prime width such as 7),
 * the widest power of two within it if the guarded last tile wastes little (tile_ow's space holds powers
 * of two), else a row of up to 8 pixels (TVM's reg_n) that may exceed it.
 */
export function nchwcDefaultTile(OW: number, OH: number, ocb: number): [number, number] {
  const vecs = Math.max(1, Math.ceil(ocb / 4));
  const divisorsUpTo = (n: number, max: number): number => {
    for (let d = Math.min(n, max); d > 1; d--) if (n % d === 0) return d;
    return 1;
  };
  const ow = divisorsUpTo(OW, Math.max(1, Math.floor(DEFAULT_ACC_VECTORS / vecs)));
  const oh = divisorsUpTo(OH, Math.min(4, Math.max(1, Math.floor(DEFAULT_ACC_VECTORS / (vecs * ow)))));
  if (ow * oh * vecs * 2 >= DEFAULT_ACC_VECTORS) {
    // Half the budget from divisors (14 wide × 7 high: 2×1, 4 vectors): taller rows with a guarded last one fill it
    // when that wastes little (2×2 over 7 rows: 8/7 computed; 34.5 vs 29.0 GFLOP/s, bench/results/c7t14-s14.md).
    let oh2 = 1;
    while (oh2 * 2 <= Math.min(4, Math.floor(DEFAULT_ACC_VECTORS / (vecs * ow)))) oh2 *= 2;
    if (oh2 > oh && Math.ceil(OH / oh2) * oh2 <= 1.15 * OH) return [ow, oh2];
    return [ow, oh];
  }
  let p2 = 1;
  while (p2 * 2 * vecs <= DEFAULT_ACC_VECTORS && p2 * 2 <= Math.min(OW, 16)) p2 *= 2;
  // A tail wastes at most one tile's worth of work: only when it is small (7 = 4 + 3: 8/7 computed).
  if (Math.ceil(OW / p2) * p2 <= 1.15 * OW) return [p2, divisorsUpTo(OH, Math.min(4, Math.max(1, Math.floor(DEFAULT_ACC_VECTORS / (vecs * p2)))))];
  return [divisorsUpTo(OW, Math.max(1, Math.min(8, Math.floor(64 / ocb)))), 1];
}

/**
 * The default 'unroll_kw': unroll the kernel width only when the input-channel block (the innermost reduction
 * loop, under the kernel window) has ≥ 4 channels. With fewer — a first layer's 3-channel image packs as
 * blocks of 1 — each unrolled tap is a one-trip channel loop, and the input broadcasts that neighbouring taps
 * share stay live across the unrolled window and spill: C1 (3 → 64, 7×7, stride 2) measured 22.4 GFLOP/s
 * unrolled vs 27.7 with the window a loop (bench/conv_variants.ts, CPU time, load 10); C6 (blocks of 8) 33.8
 * vs 33.3, the same.
 */
export function nchwcDefaultUnrollKW(icb: number): boolean {
  return icb >= 4;
}

/**
 * The default 'auto_unroll_max_step': 0, no automatic unrolling (TVM's x86 _schedule_conv_NCHWc has none; it
 * unrolls only the register tile, as here). The pragma sits on the outermost reduction loop and the register tile
 * is already unrolled, so what it unrolls is the reduction — the input-channel block whenever icb × tile pixels
 * ≤ the limit (a 2-pixel tile × 8 channels = 16 at 16). An unrolled reduction is one long straight block, and V8's
 * TurboFan issues its loads ahead of the arithmetic: a 2×1 tile's row of 24 taps loads 47 weight vectors before its
 * first multiply and spills them (--print-wasm-code, V8 11.3; as slow at -opt=0, so not binaryen's doing). Measured by
 * CPU time, interleaved (bench/results/c7t14-s14.md): C7 with a 2×1 tile 17.3 GFLOP/s unrolled vs 26.3 not, a
 * 14-wide × 7-high output 17.7 vs 29.0; the seven conv workloads' defaults (C1–C12) lower to the same code at 0 and 16.
 */
export const NCHWC_DEFAULT_AUTO_UNROLL = 0;

/** Schedules `anchor` = conv2d_NCHWc [N, O/ocb, OH, OW, ocb] (reduce rco, ry, rx, rci) with its epilogue in `s`. */
export function scheduleConvNCHWcWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  if (op.kind !== 'compute' || anchor.ndim !== 5 || op.reduceAxis.length !== 4) throw new TypeError(`conv2d_NCHWc wasm template: ${anchor.name} must be a conv2d_NCHWc compute`);
  const [, , OH, OW, ocb] = anchor.dims as [number, number, number, number, number];
  const icb = (op.reduceAxis[3]!.dom.extent as { value: number }).value;
  const pads = paddedInputs(op);
  cfg.defineSplit('tile_ow', OW, { policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_oh', OH, { policy: 'verbose', maxFactor: 4 });
  cfg.defineKnob('reorder_r', [0, 1]);
  cfg.defineKnob('unroll_kw', [true, false]);
  cfg.defineKnob('vectorize', [true, false]);
  cfg.defineKnob('pad_inline', [false, true]);
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  cfg.defineKnob('parallel', [true, false]);
  if (cfg instanceof FallbackConfigEntity) {
    // Untuned default (TVM x86's reg_n): a tile of ≤ 8 f32x4 accumulators (ow × oh pixels × ocb/4), the
    // kernel window outside the channels of a block (reorder 0), kw unrolled for blocks of ≥ 4 channels, the
    // reduction never auto-unrolled, the padded input materialized once, parallel tiles.
    const [ow, oh] = nchwcDefaultTile(OW, OH, ocb);
    if (OW % ow === 0) cfg.fallbackSplit('tile_ow', [-1, ow]);
    else cfg.fallbackSplitSizes('tile_ow', [ow]);
    if (OH % oh === 0) cfg.fallbackSplit('tile_oh', [-1, oh]);
    else cfg.fallbackSplitSizes('tile_oh', [oh]);
    cfg.fallbackKnob('reorder_r', 0);
    cfg.fallbackKnob('unroll_kw', nchwcDefaultUnrollKW(icb));
    cfg.fallbackKnob('vectorize', true);
    cfg.fallbackKnob('pad_inline', false);
    cfg.fallbackKnob('auto_unroll_max_step', NCHWC_DEFAULT_AUTO_UNROLL);
    cfg.fallbackKnob('parallel', true);
  }
  // The template's validity predicate: the reg_n·oh·ocb accumulator tile must fit MAX_TILE_FLOATS floats.
  cfg.multiFilter((c) => {
    const regN = c.getSplit('tile_ow').size[1]!;
    const ohI = c.getSplit('tile_oh').size[1]!;
    return regN * ohI * ocb > MAX_TILE_FLOATS ? `accumulator tile ${ohI}×${regN}×${ocb} exceeds ${MAX_TILE_FLOATS} floats` : undefined;
  });

  const { out } = fuseEpilogue(s, anchor, outs);
  const CL = s.cacheWrite(anchor, 'local');
  if (out !== anchor) s.stage(anchor).computeInline();
  const t = s.stage(out);
  const cl = s.stage(CL);
  const vec = cfg.getKnob('vectorize').val === true;

  const [n, ob, oh, ow, oi] = t.axis as [IterVar, IterVar, IterVar, IterVar, IterVar];
  const [oho, ohi] = cfg.getSplit('tile_oh').apply(s, t, oh) as [IterVar, IterVar];
  const [owo, owi] = cfg.getSplit('tile_ow').apply(s, t, ow) as [IterVar, IterVar];
  t.reorder(n, ob, oho, owo, ohi, owi, oi);
  const tiles = t.fuse(t.fuse(t.fuse(n, ob), oho), owo);
  if (cfg.getKnob('parallel').val === true) t.parallel(tiles);
  t.unroll(ohi);
  t.unroll(owi);
  if (vec) t.vectorize(oi);
  cl.computeAt(t, tiles);

  const [nc, obc, ohc, owc, oic] = cl.axis as [IterVar, IterVar, IterVar, IterVar, IterVar];
  const [rco, ry, rx, rci] = cl.reduceAxis as [IterVar, IterVar, IterVar, IterVar];
  const order = cfg.getKnob('reorder_r').val === 0 ? [rco, ry, rx, rci] : [rco, rci, ry, rx];
  // The register tile innermost: the vectorized channel-block loop encloses no reduction loop.
  cl.reorder(...order, nc, obc, ohc, owc, oic);
  if (cfg.getKnob('unroll_kw').val === true) cl.unroll(rx);
  cl.unroll(ohc);
  cl.unroll(owc);
  if (vec) cl.vectorize(oic);
  finishConvWasm(cfg, s, cl, order[0]!, pads);
}
