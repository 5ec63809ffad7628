// ops/templates/conv2d_gemm_wasm.ts — the tunable wasm schedule of conv2d_gemm (ops/nn/conv2d_gemm.ts: im2col +
// one product per image; TVM arm_cpu schedule_conv2d_gemm): the product takes the wasm gemm template whole (its
// knobs, same order: output channels × pixels tiles, k blocks, pack_b, …) with the epilogue fused into its output
// tile. With pack_b the im2col is inlined into the pack, so the columns are gathered straight into the panels the
// product streams (TVM's im2col + interleave in one copy), per panel in an L1 buffer with pack_at 'panel';
// without it the columns are a root stage of their own, as the product reads them.

import type { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { ConfigSpace } from '../../autotune/space.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { scheduleGemmWasm } from './gemm_wasm.js';

/**
 * Schedules `anchor` = conv2d_gemm [N, O, OH·OW] (reading its 'conv2d_gemm_im2col' stage) and its epilogue up to
 * `outs` inside `s`. Throws TypeError when `anchor` is not a conv2d_gemm op.
 */
export function scheduleConv2dGemmWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  const col = op.kind === 'compute' && op.tag === 'conv2d_gemm' ? inputTensors(op).find((t) => t.op.kind === 'compute' && t.op.tag === 'conv2d_gemm_im2col') : undefined;
  if (col === undefined || op.kind !== 'compute') throw new TypeError(`conv2d_gemm wasm template: ${anchor.name} is not a conv2d_gemm op reading its im2col stage (ops.conv2dGemm)`);
  const [, C, KH, KW] = op.attrs['kernel_shape'] as [number, number, number, number];
  // The convolution's multiply-adds, as TVM's conv2d_gemm (cfg.add_flop): not the im2col's index arithmetic.
  cfg.addFlop(2 * anchor.dims.reduce((a, b) => a * b, 1) * C * KH * KW);
  scheduleGemmWasm(cfg, s, anchor, outs, { fallback: (f) => convGemmFallback(f, anchor) });
  const c = s.stage(col);
  if (cfg.getKnob('pack_b').val !== true) {
    c.computeRoot();
    return;
  }
  c.computeInline();
  const pack = s.stages.find((st) => st.name === `${col.name}_packed`);
  if (pack === undefined) throw new TypeError(`conv2d_gemm wasm template: pack_b made no ${col.name}_packed stage`);
  gatherByTap(pack, KH, KW);
}

/**
 * The untuned default over the gemm's: the columns always gathered into panels (the im2col copies every value
 * once anyway; in panels the product streams them: pack_b, tile_order 'xy', pack_at 'panel'), panels of 8 pixels
 * (two f32x4; a last partial panel is zero past OH·OW, where the gemm would fall back to a divisor, 4 for C7's
 * 196 pixels; images under 8 pixels keep the gemm's divisor), k blocks of up to 64. CPU time, 1 thread, C7: 4×4
 * k8 27.4, 4×8 k8 33.9, k16 34.9, k32 37.9, 4×16 k16 28.9 GFLOP/s, tfjs-wasm 25.2 in the same rounds; k64 even with
 * k32 on C7, +3–5 % on C6, C9, C12 (bench/results/c7t15-s15.md).
 */
function convGemmFallback(cfg: FallbackConfigEntity, anchor: Tensor): void {
  const P = anchor.dims[anchor.ndim - 1]!;
  // Under 8 pixels the gemm's own choice stands (a divisor that is a whole number of vectors, or 1).
  if (P % 8 === 0) cfg.fallbackSplit('tile_x', [-1, 8]);
  else if (P > 8) cfg.fallbackSplitSizes('tile_x', [8]);
  cfg.fallbackSplit('tile_k', [-1, 64]);
  cfg.fallbackKnob('pack_b', true);
  cfg.fallbackKnob('tile_order', 'xy');
  cfg.fallbackKnob('pack_at', 'panel');
}

/**
 * The pack-with-im2col stage Bp[n, xo, k, xi]: k split into its (c, ry, rx) (exact splits, so the simplifier turns
 * k's ⌊k / KH·KW⌋, ⌊k / KW⌋ mod KH, k mod KW into the loop variables), and the panel's lanes xi unrolled in place of
 * the gemm's vector loop (a lane's pixel p = xo·bn + xi needs ⌊p / OW⌋ and p mod OW: no vector load), so each lane's
 * row and column, constant in the k loops, are hoisted out of them (wasm.hoistInvariants). Per copied value: an
 * address sum and its padding guard, instead of five divisions: C7 (4×8 tile, k8) 24.8 → 33.9 GFLOP/s, CPU time, 1
 * thread (docs/ops.md "conv2d_gemm, session 15").
 */
function gatherByTap(pack: Stage, KH: number, KW: number): void {
  const [k, xi] = pack.axis.slice(-2) as [IterVar, IterVar];
  const [kcy, rx] = pack.split(k, { factor: KW });
  pack.split(kcy, { factor: KH });
  pack.unroll(rx);
  pack.unroll(xi);
}
