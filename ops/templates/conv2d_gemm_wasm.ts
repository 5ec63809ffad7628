// ops/templates/conv2d_gemm_wasm.ts — the tunable wasm schedule of conv2d_gemm (ops/nn/conv2d_gemm.ts: im2col +
// one product per image; TVM arm_cpu schedule_conv2d_gemm): the product takes the wasm gemm template whole (its
// knobs, same order: output channels × pixels tiles, k blocks, pack_b, …) with the epilogue fused into its output
// tile. With pack_b the im2col is inlined into the pack, so the columns are gathered straight into the panels the
// product streams (TVM's im2col + interleave in one copy), per panel in an L1 buffer with pack_at 'panel';
// without it the columns are a root stage of their own, as the product reads them.

import type { ConfigSpace } from '../../autotune/space.js';
import type { Schedule } from '../../schedule/schedule.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import { scheduleGemmWasm } from './gemm_wasm.js';

/**
 * Schedules `anchor` = conv2d_gemm [N, O, OH·OW] (reading its 'conv2d_gemm_im2col' stage) and its epilogue up to
 * `outs` inside `s`. Throws TypeError when `anchor` is not a conv2d_gemm op.
 */
export function scheduleConv2dGemmWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  const col = op.kind === 'compute' && op.tag === 'conv2d_gemm' ? inputTensors(op).find((t) => t.op.kind === 'compute' && t.op.tag === 'conv2d_gemm_im2col') : undefined;
  if (col === undefined) throw new TypeError(`conv2d_gemm wasm template: ${anchor.name} is not a conv2d_gemm op reading its im2col stage (ops.conv2dGemm)`);
  scheduleGemmWasm(cfg, s, anchor, outs);
  const c = s.stage(col);
  if (cfg.getKnob('pack_b').val === true) c.computeInline();
  else c.computeRoot();
}
