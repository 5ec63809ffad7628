// ops/templates/anchor_templates.ts — the tunable templates of the anchor ops, one per op and target
// ('conv2d_nchw.wasm', 'dense.webgpu', …): each rebuilds the op from its workload args, applies the
// optional epilogue (last arg: a list of steps) and hands the fused graph to the op's schedule.

import type { ConfigSpace } from '../../autotune/space.js';
import type { TemplateFn } from '../../autotune/template.js';
import { createSchedule, type Schedule } from '../../schedule/schedule.js';
import type { Tensor } from '../../schedule/tensor.js';
import { scheduleConv2dGemmWasm } from './conv2d_gemm_wasm.js';
import { scheduleConv2dGemmNCHWcWasm } from './conv2d_gemm_nchwc_wasm.js';
import { scheduleConvNCHWcWasm } from './conv2d_nchwc_wasm.js';
import { scheduleConvTransposeWasm } from './conv2d_transpose_wasm.js';
import { scheduleConvWasm } from './conv2d_wasm.js';
import { scheduleWinogradWasm } from './conv2d_winograd_wasm.js';
import { scheduleWinogradWebGPU } from './conv2d_winograd_webgpu.js';
import { scheduleDepthwiseNCHWcWasm } from './depthwise_nchwc_wasm.js';
import { scheduleConvWebGPU } from './conv2d_webgpu.js';
import { scheduleConvPackedWebGPU } from './conv2d_packed_webgpu.js';
import { scheduleGemmWasm } from './gemm_wasm.js';
import { scheduleGemmWebGPU } from './gemm_webgpu.js';
import { anchorCompute, applyEpilogue, type AnchorTag } from './workloads.js';

/** A schedule function: knobs on cfg, then the anchor and its epilogue up to outs scheduled in s. */
export type AnchorScheduleFn = (cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]) => void;

export type TargetKind = 'wasm' | 'webgpu';

/** The wasm-only anchors: the packed layouts (NCHW[x]c is a CPU layout), im2col + gemm, and Winograd F(4×4) (F(2×2) has a template on both). */
const WASM_ONLY: readonly AnchorTag[] = ['conv2d_winograd_m4', 'conv2d_NCHWc', 'depthwise_conv2d_NCHWc', 'conv2d_gemm', 'conv2d_gemm_NCHWc'];

/** The webgpu-only anchors: the conv on a weight packed in output-channel blocks (lavapipe's plain target, session 17). */
const WEBGPU_ONLY: readonly AnchorTag[] = ['conv2d_nchw_packed'];

/**
 * The (op, target kind) pairs that have a template: all but the packed layouts' and the im2col + gemm convolutions on
 * webgpu, and conv2d_nchw_packed on wasm.
 */
export function hasTemplate(tag: AnchorTag, kind: TargetKind): boolean {
  return kind === 'wasm' ? !WEBGPU_ONLY.includes(tag) : !WASM_ONLY.includes(tag);
}

/** The schedule function of each anchor op per target kind. */
export function anchorSchedule(tag: AnchorTag, kind: TargetKind): AnchorScheduleFn {
  if (!hasTemplate(tag, kind)) {
    throw new TypeError(kind === 'wasm' ? `${tag} has a webgpu template only; on wasm use conv2d (NCHW) or conv2d_NCHWc` : `${tag} has a wasm template only; on webgpu use conv2d (NCHW)`);
  }
  if (tag === 'conv2d_nchw_packed') return scheduleConvPackedWebGPU;
  if (tag === 'conv2d_NCHWc') return scheduleConvNCHWcWasm;
  if (tag === 'depthwise_conv2d_NCHWc') return scheduleDepthwiseNCHWcWasm;
  if (tag === 'conv2d_gemm') return scheduleConv2dGemmWasm;
  if (tag === 'conv2d_gemm_NCHWc') return scheduleConv2dGemmNCHWcWasm;
  if (tag === 'conv2d_winograd') return kind === 'wasm' ? scheduleWinogradWasm : scheduleWinogradWebGPU;
  if (tag === 'conv2d_winograd_m4') return scheduleWinogradWasm;
  if (tag === 'conv2d_transpose_nchw' && kind === 'wasm') return scheduleConvTransposeWasm;
  const conv = tag === 'conv2d_nchw' || tag === 'depthwise_conv2d_nchw' || tag === 'conv2d_transpose_nchw';
  if (kind === 'wasm') return conv ? scheduleConvWasm : scheduleGemmWasm;
  return conv ? scheduleConvWebGPU : scheduleGemmWebGPU;
}

/**
 * What defaultSchedule does to the injective stages an anchor schedule leaves at root (a materialized
 * padded input): outer loops fused and run in parallel, so a tuned config is measured as it is built.
 */
export function scheduleRootInjective(s: Schedule): void {
  for (const st of s.stages) {
    if (st.op.kind !== 'compute' || st.op.reduceAxis.length > 0 || st.attach.type !== 'root' || st.steps.length > 0 || st.isOutput) continue;
    const axes = st.axis.slice(0, -1);
    if (axes.length > 0) st.parallel(axes.length === 1 ? axes[0]! : st.fuse(...axes));
  }
}

/** The template function of anchor op `tag` on `kind` (registered as `${tag}.${kind}`). */
export function anchorTemplate(tag: AnchorTag, kind: TargetKind): TemplateFn {
  const schedule = anchorSchedule(tag, kind);
  const fn = (cfg: ConfigSpace, ...args: unknown[]): readonly [Schedule, readonly Tensor[]] => {
    const { inputs, anchor, rest } = anchorCompute(tag, args);
    if (rest.length > 1) throw new RangeError(`template ${tag}.${kind}: ${rest.length} extra args; only an epilogue list may follow the workload`);
    const steps = rest[0] ?? [];
    if (!Array.isArray(steps)) throw new TypeError(`template ${tag}.${kind}: the epilogue must be a list of steps, got ${JSON.stringify(steps)}`);
    const axes = tag === 'conv2d_NCHWc' || tag === 'depthwise_conv2d_NCHWc' || tag === 'conv2d_gemm_NCHWc' ? [1, 4] : tag.startsWith('conv') || tag.startsWith('depthwise') ? [1] : [anchor.ndim - 1];
    const { out, extra } = applyEpilogue(anchor, steps, axes);
    const s = createSchedule(out);
    schedule(cfg, s, anchor, [out]);
    if (kind === 'wasm') scheduleRootInjective(s);
    return [s, [...inputs, ...extra, out]];
  };
  return fn as unknown as TemplateFn;
}
