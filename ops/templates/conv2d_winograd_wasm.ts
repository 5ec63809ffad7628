// ops/templates/conv2d_winograd_wasm.ts — the tunable wasm schedule of conv2d_winograd, F(2×2, 3×3) (TVM
// arm_cpu schedule_winograd, shaped for wasm SIMD): the 16 batched products M = U·V take the gemm template's
// knobs (output channels × tiles, vectorized along tiles); the kernel and input transforms are root stages
// with their 4×4 loops unrolled (each picks its sparse sum, no zero multiplied); the output transform runs
// per 2×2 output block inside the output's parallel loop, with the epilogue fused.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { fuseEpilogue } from './epilogue.js';
import { scheduleGemmWasm } from './gemm_wasm.js';

function inputTagged(t: Tensor, tag: string): Tensor {
  const found = inputTensors(t.op).find((x) => x.op.kind === 'compute' && x.op.tag === tag);
  if (!found) throw new TypeError(`winograd wasm template: ${t.name} reads no '${tag}' stage`);
  return found;
}

/** Schedules `anchor` = conv2d_winograd (with its U, V and M stages) and its epilogue up to `outs` in `s`. */
export function scheduleWinogradWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  if (anchor.op.kind !== 'compute' || anchor.op.tag !== 'conv2d_winograd') throw new TypeError(`winograd wasm template: ${anchor.name} is not a conv2d_winograd op`);
  const M = inputTagged(anchor, 'winograd_gemm');
  // The kernel transform, or (weights pre-transformed on the host by winogradWeightTransform) a view of them.
  const U = inputTensors(M.op).find((x) => x.op.kind === 'compute' && (x.op.tag === 'winograd_kernel' || x.name === 'winograd_kernel_view'));
  if (!U) throw new TypeError(`winograd wasm template: ${M.name} reads no kernel transform stage`);
  const V = inputTagged(M, 'winograd_data');
  // The products first: their knobs (tile_y over output channels, tile_x over tiles, tile_k over input
  // channels, …) lead the config, in the gemm template's order (without pack_b: V is already a computed stage).
  scheduleGemmWasm(cfg, s, M, [M], { packB: false });
  cfg.defineKnob('unroll_transform', [true, false]);
  if (cfg instanceof FallbackConfigEntity) {
    // Untuned default: the transforms fully unrolled, so every matrix entry is a folded constant.
    cfg.fallbackKnob('unroll_transform', true);
  }
  const unroll = cfg.getKnob('unroll_transform').val === true;
  const parallel = cfg.getKnob('parallel').val === true;

  if (U.op.kind === 'compute' && U.op.tag !== 'winograd_kernel') {
    // Pre-transformed weights [16, O, C]: the products read them directly.
    s.stage(U).computeInline();
  } else {
    // Kernel transform: per (o, c), 4×4 outputs from 3×3 taps.
    const u = s.stage(U);
    const [ue, un, uo, uc] = u.axis as [IterVar, IterVar, IterVar, IterVar];
    const [ur1, ur2] = u.reduceAxis as [IterVar, IterVar];
    u.reorder(uo, uc, ue, un, ur1, ur2);
    if (parallel) u.parallel(uo);
    if (unroll) for (const a of [ue, un, ur1, ur2]) u.unroll(a);
  }

  // Input transform: per (c, tile), the 16 values of Bᵀ·d·B from the padded input (a root stage again if
  // a caller's traverse_inline inlined it: it must not be recomputed per product).
  const v = s.stage(V);
  v.computeRoot();
  const [ve, vn, vc, vp] = v.axis as [IterVar, IterVar, IterVar, IterVar];
  v.reorder(vc, vp, ve, vn);
  if (parallel) v.parallel(vc);
  if (unroll) for (const a of [ve, vn]) v.unroll(a);
  for (const p of inputTensors(V.op).filter((x) => x.op.kind === 'compute' && x.op.tag === 'injective,pad')) s.stage(p).computeRoot();

  // Output transform per 2×2 output block (its position picks the sum), the epilogue on it.
  const { out } = fuseEpilogue(s, anchor, outs);
  if (out !== anchor) s.stage(anchor).computeInline();
  const t = s.stage(out);
  const [n, o, y, x] = t.axis as [IterVar, IterVar, IterVar, IterVar];
  const [yo, yi] = t.split(y, { factor: 2 });
  const [xo, xi] = t.split(x, { factor: 2 });
  t.reorder(n, o, yo, xo, yi, xi);
  const rows = t.fuse(n, o);
  if (parallel) t.parallel(rows);
  if (unroll) {
    t.unroll(yi);
    t.unroll(xi);
  }
}
