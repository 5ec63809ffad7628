// ops/templates/conv2d_winograd_wasm.ts — the tunable wasm schedule of conv2d_winograd, F(2×2, 3×3), and of
// conv2d_winograd_m4, F(4×4, 3×3) (TVM arm_cpu schedule_winograd, shaped for wasm SIMD): the α² batched products
// M = U·V take the gemm template's knobs (output channels × tiles, vectorized along tiles); the kernel and input
// transforms are root stages with their α×α loops unrolled (each picks its sparse sum, no zero multiplied); the
// output transform runs per m×m output block inside the output's parallel loop, with the epilogue fused. F(4×4)'s
// larger sums run vectorized along tiles instead: the gathered tiles, the input transform's two passes, and the
// output transform's own stage (ops/nn/conv2d_winograd.ts). F(2×2) chooses between the two by its knob
// `vec_transform` (defined last, so records made before it keep their indices with its option 0, the scalar
// transforms); otherwise both tasks have the same knobs.
import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { Stage } from '../../schedule/stage.js';
import type { IterVar } from '../../tir/nodes.js';
import { scheduleGemmWasm } from './gemm_wasm.js';
import { orderInputTransform, orderKernelTransform, orderOutputTransform, tileSizeOf, winogradStages } from './winograd_stages.js';

/**
 * F(2×2)'s `vec_transform` values: which transforms run vectorized along tiles as F(4×4)'s do (the input
 * transform's gather and two passes, per channel; the output transform's stage I) instead of scalar per tile
 * (D, T, or I inlined). 'none' is the schedule before the knob existed (session 18 added it).
 */
export const VEC_TRANSFORM = ['none', 'input', 'output', 'both'] as const;

/** Schedules `anchor` = conv2d_winograd (with its U, V and M stages) and its epilogue up to `outs` in `s`. */
export function scheduleWinogradWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  // U: the kernel transform, or (weights pre-transformed on the host by winogradWeightTransform) a view of them.
  const { U, pretransformed, V, M, D, T, I } = winogradStages(anchor, 'winograd wasm template');
  // The products first: their knobs (tile_y over output channels, tile_x over tiles, tile_k over input
  // channels, …) lead the config, in the gemm template's order (without pack_b: V is already a computed stage).
  scheduleGemmWasm(cfg, s, M, [M], { packB: false });
  cfg.defineKnob('unroll_transform', [true, false]);
  if (cfg instanceof FallbackConfigEntity) {
    // Untuned default: the transforms fully unrolled, so every matrix entry is a folded constant.
    cfg.fallbackKnob('unroll_transform', true);
  }
  // F(2×2) only (F(4×4)'s 25-term sums always run vectorized): defined after every other knob.
  const m2 = tileSizeOf(anchor) === 2;
  if (m2) cfg.defineKnob('vec_transform', VEC_TRANSFORM);
  // Untuned default 'both' (session 18, 1 thread, CPU time, loaded: 1.11–1.32× 'none' on C6, C9, 128 → 128 on 7²
  // and 64 → 64 on 10², 0.96–1.04× on C12; bench/results/wino18-s18.md).
  if (m2 && cfg instanceof FallbackConfigEntity) cfg.fallbackKnob('vec_transform', 'both');
  const mode = m2 ? cfg.getKnob('vec_transform').val as (typeof VEC_TRANSFORM)[number] : 'both';
  const vecInput = mode === 'input' || mode === 'both';
  const vecOutput = mode === 'output' || mode === 'both';
  const unroll = cfg.getKnob('unroll_transform').val === true;
  const parallel = cfg.getKnob('parallel').val === true;

  if (pretransformed) {
    // Pre-transformed weights [16, O, C]: the products read them directly.
    s.stage(U).computeInline();
  } else {
    // Kernel transform: per (o, c), 4×4 outputs from 3×3 taps.
    const u = s.stage(U);
    const { outer: [uo], inner } = orderKernelTransform(u);
    if (parallel) u.parallel(uo);
    if (unroll) for (const a of inner) u.unroll(a);
  }

  // Input transform: per (c, tile), the α² values of Bᵀ·d·B from the padded input, the pad a root stage.
  const v = orderInputTransform(s, V);
  if (parallel) v.stage.parallel(v.outer[0]);
  const vec = (st: Stage, p: IterVar, inner: readonly IterVar[], outer: readonly IterVar[]): void => {
    const [pOuter, pInner] = st.split(p, { factor: 4 });
    st.reorder(...outer, pOuter, ...inner, pInner);
    st.vectorize(pInner);
    if (unroll) for (const a of inner) st.unroll(a);
  };
  if (!vecInput) {
    // Scalar per (channel, tile): the gather inlined, each of the 16 values one 4-term sum (F(2×2) only).
    s.stage(D).computeInline();
    if (unroll) for (const a of v.inner) v.stage.unroll(a);
  } else {
    // Vectorized: per channel, its tiles gathered (D), then (F(4×4)) the row pass T, then V (F(4×4): the column
    // pass), over 4 tiles at a time as f32x4; D and T are computed per channel, where V needs them.
    vec(v.stage, v.outer[1], v.inner, [v.outer[0]]);
    let gatherAt: [Stage, IterVar] = [v.stage, v.outer[0]];
    if (T !== undefined) {
      const t = s.stage(T);
      t.computeAt(v.stage, v.outer[0]);
      const [tc, te, tb, tp] = t.axis as [IterVar, IterVar, IterVar, IterVar];
      vec(t, tp, [te, tb], [tc]);
      gatherAt = [t, tc];
    }
    const d = s.stage(D);
    d.computeAt(...gatherAt);
    // The gather: per tile one tile origin (its divisions), then its α² values.
    const [, da, db, dp] = d.axis as [IterVar, IterVar, IterVar, IterVar];
    d.reorder(dp, da, db);
    if (unroll) { d.unroll(da); d.unroll(db); }
  }
  // F(2×2)'s pad a root stage, as before session 18; F(4×4)'s left as its session-17 schedule had it (its records' code).
  if (T === undefined) for (const p of v.pads) s.stage(p).computeRoot();
  if (!vecOutput) s.stage(I).computeInline();
  else {
    // The output transform's own stage: per output channel, the m² sums over 4 tiles at a time as f32x4.
    const inv = s.stage(I);
    const [io, ii, ij, ip] = inv.axis as [IterVar, IterVar, IterVar, IterVar];
    vec(inv, ip, [ii, ij], [io]);
    if (parallel) inv.parallel(io);
  }

  // Output transform per m×m output block (its position picks the sum; F(4×4): the value in I), the epilogue on it.
  const { stage: t, blocks: [n, o], inner } = orderOutputTransform(s, anchor, outs);
  const rows = t.fuse(n, o);
  if (parallel) t.parallel(rows);
  if (unroll) for (const a of inner) t.unroll(a);
}
