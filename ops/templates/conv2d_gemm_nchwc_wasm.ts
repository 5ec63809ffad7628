// ops/templates/conv2d_gemm_nchwc_wasm.ts — the tunable wasm schedule of conv2d_gemm_NCHWc (ops/nn/conv2d_gemm_nchwc.ts:
// im2col rows of output pixels × the packed weight's panels of the oc block; TVM arm_cpu schedule_conv2d_gemm in its NHWC
// orientation): the product takes the wasm gemm template (its knobs, same order: pixel × output-channel tiles, k
// blocks, …; B is already panels, so no pack_b) with the epilogue fused into its output tile, the output NCHW{ocb}c
// written by the tile itself. The im2col rows are a root stage of their own, copied by tap: icb channels at a time.

import type { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { ConfigSpace } from '../../autotune/space.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { scheduleGemmWasm } from './gemm_wasm.js';

/**
 * Schedules `anchor` = conv2d_gemm_NCHWc [N, O/ocb, OH, OW, ocb] (reading its 'conv2d_gemm_NCHWc_im2col' stage) and
 * its epilogue up to `outs` inside `s`: rows of the gemm are the OW pixels of one output row (n, ob, oh lead as the
 * gemm's batch axes), its columns the ocb lanes. Throws TypeError when `anchor` is not a conv2d_gemm_NCHWc op.
 */
export function scheduleConv2dGemmNCHWcWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  const col = op.kind === 'compute' && op.tag === 'conv2d_gemm_NCHWc' ? inputTensors(op).find((t) => t.op.kind === 'compute' && t.op.tag === 'conv2d_gemm_NCHWc_im2col') : undefined;
  if (col === undefined || op.kind !== 'compute') throw new TypeError(`conv2d_gemm_NCHWc wasm template: ${anchor.name} is not a conv2d_gemm_NCHWc op reading its im2col stage (ops.conv2dGemmNCHWc)`);
  const [, Cb, KH, KW, icb] = op.attrs['kernel_shape'] as [number, number, number, number, number, number];
  // The convolution's multiply-adds, as TVM's conv2d_gemm (cfg.add_flop): not the im2col's copy.
  cfg.addFlop(2 * anchor.dims.reduce((a, b) => a * b, 1) * Cb * icb * KH * KW);
  // im2col_at (defined after the gemm's knobs, so theirs keep their digits): 'root' copies every image's rows before
  // the product (parallel over the output rows); 'row' copies one output row's OW × K values inside the parallel
  // loop over (n, oh), into a per-thread buffer that stays in L2, and runs every oc block's panel over it (ob inside
  // oh: the rows are copied once, never written to memory and read back per block).
  const rowAt = (c: ConfigSpace): boolean => c.getKnob('im2col_at').val === 'row';
  const { batchLoop } = scheduleGemmWasm(cfg, s, anchor, outs, {
    packB: false, rowTileLoop: true, fallback: (f) => convGemmNCHWcFallback(f, anchor),
    defineKnobs: (c) => c.defineKnob('im2col_at', ['root', 'row']),
    // 'row': the batch loops (n, ob, oh) run as (n, oh) fused in parallel, ob inside.
    batchLoops: (c) => (rowAt(c) ? { order: [0, 2, 1], parallel: 2 } : undefined),
  });
  copyByTap(s, col, KH, KW, icb, rowAt(cfg) ? batchLoop : undefined);
}

/**
 * The untuned default over the gemm's: the whole oc block as the x tile (two f32x4 for ocb 8), k blocks of up to 64 (as
 * conv2d_gemm's), row tiles of 4 pixels (a partial last one where 4 does not divide OW, peeled), the im2col per output
 * row ('row'). CPU time, 1 thread, C7: 4 × 8 36.9 GFLOP/s, 2 × 8 28.6, 7 × 4 30.7 (7 × 8 spills: 25.5); 'row' vs
 * 'root' 39.7 vs 36.1 and 1.0–1.1× over three processes; k32, k16, unroll 64 within noise (bench/results/c7t16-s16.md).
 */
function convGemmNCHWcFallback(cfg: FallbackConfigEntity, anchor: Tensor): void {
  const OW = anchor.dims[3]!;
  const ocb = anchor.dims[4]!;
  cfg.fallbackSplit('tile_x', [-1, ocb]);
  if (OW % 4 === 0 || OW < 4) cfg.fallbackSplit('tile_y', [-1, 4]);
  else cfg.fallbackSplitSizes('tile_y', [4]);
  cfg.fallbackSplit('tile_k', [-1, 64]);
  cfg.fallbackKnob('im2col_at', 'row');
}

/**
 * The im2col stage A[n, oh, ow, k]: at root with rows (n, oh) in parallel, or (`at`) inside the output's parallel
 * (n, oh) loop into a local buffer of one row; k split into its (cb, ry, rx, ci) (exact splits, so the simplifier turns
 * k's divisions into the loop variables), the icb channels of one tap a contiguous run of Xp and of A, copied as
 * f32x4 where icb is a multiple of 4.
 */
function copyByTap(s: Schedule, col: Tensor, KH: number, KW: number, icb: number, at?: { readonly stage: Stage; readonly axis: IterVar }): void {
  const c = s.stage(col);
  if (at !== undefined) {
    c.computeAt(at.stage, at.axis);
    c.scope = 'local';
  } else {
    c.computeRoot();
  }
  const [n, oh, , k] = c.axis as [IterVar, IterVar, IterVar, IterVar];
  const [tap, ci] = c.split(k, { factor: icb });
  const [kcy] = c.split(tap, { factor: KW });
  c.split(kcy, { factor: KH });
  if (icb % 4 === 0) c.vectorize(icb === 4 ? ci : c.split(ci, { factor: 4 })[1]!);
  if (at === undefined) c.parallel(c.fuse(n, oh));
}
