// ops/templates/winograd_stages.ts — what the wasm and WebGPU Winograd F(2×2, 3×3) schedules share: finding the
// stages of a conv2d_winograd op (ops/nn/conv2d_winograd.ts: kernel transform U, gathered tiles D, input transform
// T then V, batched products M, output transform I) and the loop orders of the three transforms, which are the same on both targets (TVM's arm_cpu and
// CUDA schedule_winograd agree on them); the targets differ only in how the outer loops run (parallel vs
// blockIdx × threadIdx) and in the pad stage's placement.

import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { fuseEpilogue } from './epilogue.js';

/** The stages of a conv2d_winograd anchor: U (kernel transform, or the view of pre-transformed weights), D, T, V, M, I. */
export interface WinogradStages {
  /** [α, α, O, C]: the 'winograd_kernel' transform of [O, C, 3, 3] weights, or 'winograd_kernel_view' of [α², O, C]. */
  readonly U: Tensor;
  /** Whether U is the view of weights transformed on the host (winogradWeightTransform) rather than a transform. */
  readonly pretransformed: boolean;
  /** [α, α, C + cpad, P]: the input transform Bᵀ·d·B per (channel, tile). */
  readonly V: Tensor;
  /** [α, α, O, P]: the α² batched products over the input channels. */
  readonly M: Tensor;
  /** [C, α, α, P], the input tiles gathered with the tile axis innermost (T reads them). */
  readonly D: Tensor;
  /** F(4×4) only: [C, α, α, P], the row pass Bᵀ·d of the input transform (V, the column pass, reads it); F(2×2)'s V reads D. */
  readonly T?: Tensor;
  /** [O, m, m, P], the output transform with the tile axis innermost (the anchor reads it). */
  readonly I: Tensor;
}

function inputTagged(t: Tensor, tag: string, who: string): Tensor {
  const found = inputTensors(t.op).find((x) => x.op.kind === 'compute' && x.op.tag === tag);
  if (!found) throw new TypeError(`${who}: ${t.name} reads no '${tag}' stage`);
  return found;
}

/**
 * The stages of `anchor` (U, D, T, V, M, I). Throws a TypeError naming `who` (the template) when `anchor` is not a
 * conv2d_winograd op or a stage is missing.
 */
export function winogradStages(anchor: Tensor, who: string): WinogradStages {
  if (anchor.op.kind !== 'compute' || (anchor.op.tag !== 'conv2d_winograd' && anchor.op.tag !== 'conv2d_winograd_m4')) {
    throw new TypeError(`${who}: ${anchor.name} is not a conv2d_winograd or conv2d_winograd_m4 op`);
  }
  const I = inputTagged(anchor, 'winograd_inverse', who);
  const M = inputTagged(I, 'winograd_gemm', who);
  const U = inputTensors(M.op).find((x) => x.op.kind === 'compute' && (x.op.tag === 'winograd_kernel' || x.name === 'winograd_kernel_view'));
  if (!U) throw new TypeError(`${who}: ${M.name} reads no kernel transform stage`);
  const V = inputTagged(M, 'winograd_data', who);
  const T = inputTensors(V.op).find((x) => x.op.kind === 'compute' && x.op.tag === 'winograd_data_rows');
  const D = inputTagged(T ?? V, 'winograd_input_tile', who);
  return { U, pretransformed: U.op.kind === 'compute' && U.op.tag !== 'winograd_kernel', V, M, D, ...(T ? { T } : {}), I };
}

/** m of the anchor's F(m×m, 3×3) (its tile_size attr; 2 when absent). */
export function tileSizeOf(anchor: Tensor): number {
  const m = anchor.op.kind === 'compute' ? anchor.op.attrs['tile_size'] : undefined;
  return typeof m === 'number' ? m : 2;
}

/** Kernel transform: (o, c) outermost, then its 4×4 outputs and 3×3 taps. Returns [o, c] and the inner loops to unroll. */
export function orderKernelTransform(u: Stage): { outer: [IterVar, IterVar]; inner: IterVar[] } {
  const [ue, un, uo, uc] = u.axis as [IterVar, IterVar, IterVar, IterVar];
  const [ur1, ur2] = u.reduceAxis as [IterVar, IterVar];
  u.reorder(uo, uc, ue, un, ur1, ur2);
  return { outer: [uo, uc], inner: [ue, un, ur1, ur2] };
}

/**
 * Input transform: a root stage (again, if a caller's traverse_inline inlined it: it must not be recomputed per
 * product), (c, tile) outermost, then its 4×4 values. Returns [c, tile], the loops to unroll and the pad stages it reads.
 */
export function orderInputTransform(s: Schedule, V: Tensor): { stage: Stage; outer: [IterVar, IterVar]; inner: IterVar[]; pads: Tensor[] } {
  const v = s.stage(V);
  v.computeRoot();
  const [ve, vn, vc, vp] = v.axis as [IterVar, IterVar, IterVar, IterVar];
  v.reorder(vc, vp, ve, vn);
  // The pad is read by the gathered tiles D (V → D, or V → T → D), whether or not the schedule inlines them into V.
  const pads: Tensor[] = [];
  const seen = new Set<Tensor>();
  const visit = (t: Tensor): void => {
    for (const x of inputTensors(t.op)) {
      if (x.op.kind !== 'compute' || seen.has(x)) continue;
      seen.add(x);
      if (x.op.tag === 'injective,pad') pads.push(x);
      else if (x.op.tag === 'winograd_data_rows' || x.op.tag === 'winograd_input_tile') visit(x);
    }
  };
  visit(V);
  return { stage: v, outer: [vc, vp], inner: [ve, vn], pads };
}

/**
 * Output transform: the epilogue fused up to `outs` (the anchor inlined into it), its [n, o, y, x] split into 2×2
 * output blocks (an odd OH or OW overhangs: the guard skips those outputs) ordered n, o, yo, xo, yi, xi.
 * Returns the output stage, the block loops [n, o, yo, xo] and the position loops [yi, xi] to unroll.
 */
export function orderOutputTransform(s: Schedule, anchor: Tensor, outs: readonly Tensor[]): { stage: Stage; blocks: [IterVar, IterVar, IterVar, IterVar]; inner: [IterVar, IterVar] } {
  const { out } = fuseEpilogue(s, anchor, outs);
  if (out !== anchor) s.stage(anchor).computeInline();
  const t = s.stage(out);
  const [n, o, y, x] = t.axis as [IterVar, IterVar, IterVar, IterVar];
  const m = tileSizeOf(anchor);
  const [yo, yi] = t.split(y, { factor: m });
  const [xo, xi] = t.split(x, { factor: m });
  t.reorder(n, o, yo, xo, yi, xi);
  return { stage: t, blocks: [n, o, yo, xo], inner: [yi, xi] };
}
