// ops/templates/conv2d_gemm_nchwc_wasm.ts — the tunable wasm schedule of conv2d_gemm_NCHWc (ops/nn/conv2d_gemm_nchwc.ts:
// im2col rows of an image's output pixels × the packed weight's panels of the oc block; TVM arm_cpu schedule_conv2d_gemm in
// its NHWC orientation): the product takes the wasm gemm template (its knobs, same order: pixel × output-channel tiles, k
// blocks, …; B is already panels, so no pack_b) with the epilogue fused into its output tile, the output NCHW{ocb}c written
// by the tile itself through the view's two row axes fused into one (row tiles span output rows: C7's 196 pixels are 49
// tiles of 4, not 14-pixel rows of 4 + 4 + 4 + 2). The im2col rows are copied by tap, icb channels at a time, per block of
// row tiles or at root.

import type { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { ConfigSpace } from '../../autotune/space.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { GEMM_NCHWC_PRODUCT } from '../nn/conv2d_gemm_nchwc.js';
import { scheduleGemmWasm } from './gemm_wasm.js';

/**
 * Schedules `anchor` = conv2d_gemm_NCHWc [N, O/ocb, OH, OW, ocb] (the view of its product [N, O/ocb, OH·OW, ocb], which
 * reads the 'conv2d_gemm_NCHWc_im2col' stage) and its epilogue up to `outs` inside `s`: rows of the gemm are an image's
 * OH·OW output pixels (the output's two row axes fused, so a row tile may span rows; n, ob lead as the gemm's batch
 * axes), its columns the ocb lanes. Throws TypeError when `anchor` is not a conv2d_gemm_NCHWc op.
 */
export function scheduleConv2dGemmNCHWcWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  const isTagged = (t: Tensor, tag: string): boolean => t.op.kind === 'compute' && t.op.tag === tag;
  const Z = op.kind === 'compute' && op.tag === 'conv2d_gemm_NCHWc' ? inputTensors(op).find((t) => isTagged(t, GEMM_NCHWC_PRODUCT)) : undefined;
  const col = Z !== undefined ? inputTensors(Z.op).find((t) => isTagged(t, 'conv2d_gemm_NCHWc_im2col')) : undefined;
  if (Z === undefined || col === undefined || op.kind !== 'compute') throw new TypeError(`conv2d_gemm_NCHWc wasm template: ${anchor.name} is not a conv2d_gemm_NCHWc op reading its product and im2col stages (ops.conv2dGemmNCHWc)`);
  const [, Cb, KH, KW, icb] = op.attrs['kernel_shape'] as [number, number, number, number, number, number];
  // The convolution's multiply-adds, as TVM's conv2d_gemm (cfg.add_flop): not the im2col's copy.
  cfg.addFlop(2 * anchor.dims.reduce((a, b) => a * b, 1) * Cb * icb * KH * KW);
  // im2col_at (defined after the gemm's knobs, so theirs keep their digits): 'root' copies every image's rows before
  // the product (parallel over pixels); 'block' copies the K values of a block of im2col_block row tiles inside the
  // parallel loop over (n, block), into a per-thread buffer that stays in L2, and runs every oc block's panel over it
  // (ob inside the block: the rows are copied once, never written to memory and read back per block).
  const blockAt = (c: ConfigSpace): boolean => c.getKnob('im2col_at').val === 'block';
  const { batchLoop } = scheduleGemmWasm(cfg, s, Z, outs, {
    view: anchor, packB: false, rowTileLoop: true, fallback: (f) => convGemmNCHWcFallback(f, anchor),
    defineKnobs: (c) => {
      c.defineKnob('im2col_at', ['root', 'block']);
      c.defineKnob('im2col_block', IM2COL_BLOCKS);
    },
    // 'block': the batch loops (n, ob) and the block loop run as (n, block) fused in parallel, ob inside.
    batchLoops: (c) => (blockAt(c) ? { order: [0, 2, 1], parallel: 2, blockTiles: c.getKnob('im2col_block').val as number } : undefined),
  });
  copyByTap(s, col, KH, KW, icb, blockAt(cfg) ? batchLoop : undefined);
}

/** Row tiles per im2col block ('block'): the block's pixels share one pass over the weight panels. */
const IM2COL_BLOCKS = [1, 2, 4, 8, 16] as const;

/**
 * The untuned default over the gemm's: the whole oc block as the x tile (two f32x4 for ocb 8), k blocks of up to 64 (as
 * conv2d_gemm's), row tiles of 4 pixels over the image's OH·OW (a partial last one where 4 does not divide it, peeled),
 * the im2col per block of 4 row tiles ('block', 16 pixels). Session 16 (tiles within a row, bench/results/c7t16-s16.md):
 * C7 4 × 8 36.9 GFLOP/s, 2 × 8 28.6, 7 × 4 30.7 (7 × 8 spills: 25.5); k32, k16, unroll 64 within noise. Session 17, tiles
 * across rows (CPU time, 1 thread, load 13–16, bench/results/c7t17-s17.md): the block size is within noise on one thread
 * (C7 41.5–42.5 GFLOP/s over blocks of 1–16 tiles, 'root' 41.5; C9 42.5–44.7; C12 40.0 with 1, 42.3–42.7 with 2–16);
 * 4 keeps 2 threads busy to the last block where the tile count is a multiple of 8 or nearly (C7's 49 tiles: 12 full
 * blocks and one of a tile) while the block's 16 pixels share each pass over the weight panels.
 */
function convGemmNCHWcFallback(cfg: FallbackConfigEntity, anchor: Tensor): void {
  const P = anchor.dims[2]! * anchor.dims[3]!;
  const ocb = anchor.dims[4]!;
  cfg.fallbackSplit('tile_x', [-1, ocb]);
  if (P % 4 === 0 || P < 4) cfg.fallbackSplit('tile_y', [-1, 4]);
  else cfg.fallbackSplitSizes('tile_y', [4]);
  cfg.fallbackSplit('tile_k', [-1, 64]);
  cfg.fallbackKnob('im2col_at', 'block');
  cfg.fallbackKnob('im2col_block', 4);
}

/**
 * The im2col stage A[n, p, k]: at root with its pixels (n, p) in parallel, or (`at`) inside the output's parallel
 * (n, block) loop into a local buffer of the block's pixels; k split into its (cb, ry, rx, ci) (exact splits, so the
 * simplifier turns k's divisions into the loop variables; a pixel's row p / OW and column p mod OW are the same for all
 * its k, so wasm.hoistInvariants takes them out of the k loops), the icb channels of one tap a contiguous run of Xp and
 * of A, copied as f32x4 where icb is a multiple of 4.
 */
function copyByTap(s: Schedule, col: Tensor, KH: number, KW: number, icb: number, at?: { readonly stage: Stage; readonly axis: IterVar }): void {
  const c = s.stage(col);
  if (at !== undefined) {
    c.computeAt(at.stage, at.axis);
    c.scope = 'local';
  } else {
    c.computeRoot();
  }
  const [n, p, k] = c.axis as [IterVar, IterVar, IterVar];
  const [tap, ci] = c.split(k, { factor: icb });
  const [kcy] = c.split(tap, { factor: KW });
  c.split(kcy, { factor: KH });
  if (icb % 4 === 0) c.vectorize(icb === 4 ? ci : c.split(ci, { factor: 4 })[1]!);
  if (at === undefined) c.parallel(c.fuse(n, p));
}
