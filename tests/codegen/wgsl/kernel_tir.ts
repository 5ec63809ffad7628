// tests/codegen/wgsl/kernel_tir.ts — the TIR the WGSL code generator emits, as one PrimFunc the
// interpreter can run: the WebGPU target passes (split kernels, infer storage scope, legalize
// lanes, insert barriers) exactly as a WebGPU build runs them, scratch buffers allocated around.

import { lowerForTarget } from '../../../codegen/target_passes.js';
import type { PrimFunc } from '../../../tir/nodes.js';

/** Kernels of `f` as WebGPU runs them, in dispatch order; `barriers: false` leaves barriers out. */
export function wgslKernelTir(f: PrimFunc, opts: { barriers?: boolean } = {}): PrimFunc {
  return lowerForTarget(f, 'webgpu', { webgpu: { skipBarriers: opts.barriers === false } }).func;
}
