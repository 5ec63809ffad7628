// ops/templates/depthwise_nchwc_wasm.ts — the tunable wasm schedule of depthwise_conv2d_NCHWc (TVM x86
// _schedule_depthwise_conv2d_NCHWc_impl, shaped for wasm SIMD): an output tile of tile_oh × tile_ow pixels of
// one channel block, the block's b channels the f32x4 lanes (each tap's input and weight are contiguous
// vectors at any stride: no shuffles), its accumulators in locals; the kernel window outside the tile.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { finishConvWasm, paddedInputs } from './conv_wasm_common.js';
import { fuseEpilogue } from './epilogue.js';

/** Register tile limit: tile_oh · tile_ow · b floats (32 f32x4 vectors; V8 maps ~16 to xmm registers). */
const MAX_TILE_FLOATS = 128;

/**
 * The template's validity predicate (a multiFilter): the tile_oh · tile_ow · b accumulator tile must fit
 * MAX_TILE_FLOATS floats. Returns the reason a config is rejected, or undefined.
 */
export function depthwiseNCHWcTileFilter(cfg: ConfigSpace, block: number): string | undefined {
  const ow = cfg.getSplit('tile_ow').size[1]!;
  const oh = cfg.getSplit('tile_oh').size[1]!;
  return ow * oh * block > MAX_TILE_FLOATS ? `accumulator tile ${oh}×${ow}×${block} exceeds ${MAX_TILE_FLOATS} floats (32 f32x4 registers)` : undefined;
}

/**
 * The untuned default tile_ow: up to 4 accumulator vectors in one row (pixels × b/4), the largest power of
 * two within them and OW (a width such as 7 gets 4 and a guarded tail tile, peeled by loop partitioning).
 * Measured on MobileNet's layers (bench/conv_cpu.ts, CPU time, loaded 2-core VM, 2026-11-30; b = 4, padding
 * inlined, kernel unrolled), GFLOP/s of 4 / 8 / 2 pixels × 1 row, or 4 × 2 rows: D1 (112², stride 1) 21 / 11
 * / 18 / 10; D2 (stride 2) 12 / 9 / 12 / 10; D9 (7², 1024 channels) 4 pixels 19, 7 pixels 15, 1 pixel 13.
 */
export function depthwiseNCHWcDefaultTileOW(OW: number, block: number): number {
  const budget = Math.max(1, Math.floor(4 / Math.ceil(block / 4)));
  let p2 = 1;
  while (p2 * 2 <= Math.min(budget, OW)) p2 *= 2;
  return p2;
}

/** Schedules `anchor` = depthwise_conv2d_NCHWc [N, C/b, OH, OW, b] (reduce ry, rx) with its epilogue in `s`. */
export function scheduleDepthwiseNCHWcWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  if (op.kind !== 'compute' || anchor.ndim !== 5 || op.reduceAxis.length !== 2) {
    throw new TypeError(`depthwise_conv2d_NCHWc wasm template: ${anchor.name} must be a depthwise_conv2d_NCHWc compute [N, C/b, OH, OW, b] reducing ry, rx`);
  }
  const [, , OH, OW, block] = anchor.dims as [number, number, number, number, number];
  const pads = paddedInputs(op);
  cfg.defineSplit('tile_ow', OW, { policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_oh', OH, { policy: 'verbose', maxFactor: 4 });
  cfg.defineKnob('unroll_kw', [true, false]);
  cfg.defineKnob('vectorize', [true, false]);
  cfg.defineKnob('pad_inline', [false, true]);
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  cfg.defineKnob('parallel', [true, false]);
  if (cfg instanceof FallbackConfigEntity) {
    // Untuned default: one row of ≤ 4 accumulator vectors; the padding inlined (a padded copy of the input
    // costs as much as the convolution: D2 0.8× tfjs-wasm with it, 2.5× without), the kernel window unrolled
    // (3 × 3 taps × 4 pixels = 36 ≤ 64 steps: the row guards become loop-invariant and
    // wasm.hoistInvariants unswitches the interior rows free of them; 16 measured 1.5–2× slower).
    const ow = depthwiseNCHWcDefaultTileOW(OW, block);
    if (OW % ow === 0) cfg.fallbackSplit('tile_ow', [-1, ow]);
    else cfg.fallbackSplitSizes('tile_ow', [ow]);
    cfg.fallbackSplit('tile_oh', [-1, 1]);
    cfg.fallbackKnob('unroll_kw', true);
    cfg.fallbackKnob('vectorize', true);
    cfg.fallbackKnob('pad_inline', true);
    cfg.fallbackKnob('auto_unroll_max_step', 64);
    cfg.fallbackKnob('parallel', true);
  }
  cfg.multiFilter((c) => depthwiseNCHWcTileFilter(c, block));

  const { out } = fuseEpilogue(s, anchor, outs);
  const CL = s.cacheWrite(anchor, 'local');
  if (out !== anchor) s.stage(anchor).computeInline();
  const t = s.stage(out);
  const cl = s.stage(CL);
  const vec = cfg.getKnob('vectorize').val === true;

  const [n, cb, oh, ow, ci] = t.axis as [IterVar, IterVar, IterVar, IterVar, IterVar];
  const [oho, ohi] = cfg.getSplit('tile_oh').apply(s, t, oh) as [IterVar, IterVar];
  const [owo, owi] = cfg.getSplit('tile_ow').apply(s, t, ow) as [IterVar, IterVar];
  t.reorder(n, cb, oho, owo, ohi, owi, ci);
  // Rows of tiles in parallel; the width loop stays its own loop (an inlined padding's guarded border
  // tiles are peeled from it by loop partitioning).
  const rows = t.fuse(t.fuse(n, cb), oho);
  if (cfg.getKnob('parallel').val === true) t.parallel(rows);
  t.unroll(ohi);
  t.unroll(owi);
  if (vec) t.vectorize(ci);
  cl.computeAt(t, owo);

  const [nc, cbc, ohc, owc, cic] = cl.axis as [IterVar, IterVar, IterVar, IterVar, IterVar];
  const [ry, rx] = cl.reduceAxis as [IterVar, IterVar];
  // The register tile innermost: the vectorized channel loop encloses no reduction loop.
  cl.reorder(ry, rx, nc, cbc, ohc, owc, cic);
  if (cfg.getKnob('unroll_kw').val === true) cl.unroll(rx);
  cl.unroll(ohc);
  cl.unroll(owc);
  if (vec) cl.vectorize(cic);
  finishConvWasm(cfg, s, cl, ry, pads);
}
