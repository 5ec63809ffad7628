// ops/templates/conv2d_winograd_webgpu.ts — the tunable WebGPU schedule of conv2d_winograd, F(2×2, 3×3), in the
// shape of TVM's CUDA schedule (topi/cuda/conv2d_winograd.py, `schedule_winograd_cuda`): the input transform
// one thread per (channel, tile) with its 4×4 (ε, ν) loops unrolled; the 16 batched products M = U·V over the
// input channels by the gemm template (ops/templates/gemm_webgpu.ts: its knobs, its warp-memory path on a
// subgroup target, ε·ν fused on blockIdx.z); the output transform one thread per 2×2 output block (its 4
// positions unrolled, the epilogue on them). Three kernels (four with the kernel transform in-kernel), V and M
// in scratch storage buffers between them. The weights come pre-transformed ([16, O, C],
// winogradWeightTransform) from relay; raw [O, C, 3, 3] weights get a kernel-transform kernel, one thread per
// (o, c).

import type { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { ConfigSpace } from '../../autotune/space.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { fallbackGemm, scheduleGemmWebGPU } from './gemm_webgpu.js';
import { orderInputTransform, orderKernelTransform, orderOutputTransform, winogradStages } from './winograd_stages.js';

/** Threads per workgroup of the transform kernels (one (channel, tile), (o, c) or 2×2 output block each). */
const TRANSFORM_THREADS = 64;

/** Fuses `axes`, binds them to blockIdx.x × threadIdx.x (TRANSFORM_THREADS a workgroup, the tail guarded). */
function bindThreads(st: Stage, axes: readonly IterVar[]): void {
  const fused = axes.length === 1 ? axes[0]! : st.fuse(...axes);
  const [bx, tx] = st.split(fused, { factor: TRANSFORM_THREADS });
  st.bind(bx, 'blockIdx.x');
  st.bind(tx, 'threadIdx.x');
}

/**
 * The products' untuned default: the gemm's, except on a subgroup target of `sg` lanes, where its warp tile (8
 * lanes × 4 tiles) overhangs the tile count P (a multiple of 8, rarely of 32: C6 200) and the guard leaves
 * every access scalar. There: warp 1, 32 output channels × `xi` tiles a lane, xi the largest divisor of P / sg
 * up to 8 (C6 5, C2 7, C9 7, C12 2), so no tile overhangs; vec 4 where xi allows; k 4 a stage. C6 (CPU time,
 * load 27, session 11): this 11.6 GFLOP/s (counted as the direct conv) against 4.6 for the gemm default (warp 0
 * there) and 1.7–2.0 for the overhanging 8 × 4 lanes with 8–32 rows a lane.
 */
function fallbackWinogradProducts(P: number, cfg: FallbackConfigEntity, rowsAligned: boolean, sg: number | undefined, inPlace: boolean): void {
  fallbackGemm(cfg, rowsAligned, sg, inPlace);
  if (sg === undefined || P % sg !== 0) return;
  const xi = [8, 7, 6, 5, 4, 3, 2, 1].find((d) => (P / sg) % d === 0)!;
  cfg.fallbackKnob('warp', 1);
  cfg.fallbackSplit('tile_y', [-1, 1, 32]);
  cfg.fallbackSplitSizes('tile_x', [sg, xi]);
  cfg.fallbackSplit('tile_k', [-1, 4]);
  cfg.fallbackKnob('vec', rowsAligned && xi % 4 === 0 && cfg.getSplit('tile_k').size[1]! % 4 === 0 ? 4 : 1);
}

/** Schedules `anchor` = conv2d_winograd (with its U, V and M stages) and its epilogue up to `outs` in `s`. */
export function scheduleWinogradWebGPU(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const { U, pretransformed, D, V, M, I } = winogradStages(anchor, 'winograd webgpu template');
  // The products first: their knobs lead the config, as the gemm template's (tile_y over output channels,
  // tile_x over tiles, tile_k over input channels, vec, warp where the target has subgroups). It stages U
  // (warp or shared memory) and V (shared memory, or read in place with warp 1).
  scheduleGemmWebGPU(cfg, s, M, [M], (c, aligned, sg, inPlace) => fallbackWinogradProducts(M.dims[3]!, c, aligned, sg, inPlace));

  if (pretransformed) {
    // Pre-transformed weights [16, O, C]: the products' staging reads them directly.
    s.stage(U).computeInline();
  } else {
    // Kernel transform: one thread per (o, c), its 4×4 outputs from the 3×3 taps unrolled (constants fold).
    const u = s.stage(U);
    const { outer, inner } = orderKernelTransform(u);
    for (const a of inner) u.unroll(a);
    bindThreads(u, outer);
  }

  // Input transform: one thread per (channel, tile), its 16 values of Bᵀ·d·B unrolled (each a 4-term sparse sum
  // of the 4×4 input tile, read through the padding's guard: the pad inlined).
  // The op's gathered tiles D (a stage for wasm's vectorized transform) are inlined into V here.
  s.stage(D).computeInline();
  const v = orderInputTransform(s, V);
  for (const a of v.inner) v.stage.unroll(a);
  bindThreads(v.stage, v.outer);
  for (const p of v.pads) s.stage(p).computeInline();

  // Output transform: one thread per 2×2 output block (its position picks the sum: the op's stage I inlined), the epilogue on it.
  s.stage(I).computeInline();
  const { stage: t, blocks, inner } = orderOutputTransform(s, anchor, outs);
  for (const a of inner) t.unroll(a);
  bindThreads(t, blocks);
}
