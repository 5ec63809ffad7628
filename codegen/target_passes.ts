// codegen/target_passes.ts — the target's passes, after te.lower's target-independent ones and
// before the emitter: chosen by target kind (as Halide's Lower.cpp gates GPU passes on the target,
// and TVM's build runs device passes after lowering), run by tir/pipeline.ts's runner so one
// TENSORTUNE_DEBUG=lower trace shows every step from schedule to the IR the emitter reads.
//   wasm:   target.bind, wasm.hoistInvariants, wasm.outlineParallel
//   webgpu: target.bind, webgpu.splitKernels, webgpu.inferStorageScope, webgpu.lowerWarpMemory, webgpu.legalizeLanes,
//           webgpu.insertBarriers, tir.lowerFloorDiv

import { parseTarget, wasmOptions, webgpuOptions, type Target } from '../target/index.js';
import type { PrimFunc } from '../tir/nodes.js';
import { currentPassContext, type Pass, type PassContext } from '../tir/pass_context.js';
import { runPasses, type LowerStep } from '../tir/pipeline.js';
import { hoistInvariantsPass } from './wasm/hoist_invariants.js';
import { outlineParallelPass } from './wasm/outline_pass.js';
import { webgpuPasses, type WebGPUPassOptions } from './wgsl/kernel_passes.js';

/** The PrimFunc attribute naming the target a function was lowered for (TVM's "target" attr). */
export const TARGET_ATTR = 'target';

/** target.bind: records the canonical target in `attrs.target`; throws if bound to another kind. */
function bindTargetPass(t: Target): Pass {
  return {
    name: 'target.bind',
    run: (f) => (f.attrs[TARGET_ATTR] === t.str ? f : { ...f, attrs: { ...f.attrs, [TARGET_ATTR]: t.str } }),
  };
}

export interface TargetPassOptions {
  /** WebGPU only: single invocation, skip barriers (see WGSLOptions). */
  readonly webgpu?: WebGPUPassOptions;
}

/** The passes for a target, in order. */
export function targetPasses(target: string | Target, opts: TargetPassOptions = {}): Pass[] {
  const t = parseTarget(target);
  if (t.kind === 'wasm') return [bindTargetPass(t), hoistInvariantsPass(), outlineParallelPass(wasmOptions(t).threads)];
  const { subgroupSize } = webgpuOptions(t);
  return [bindTargetPass(t), ...webgpuPasses({ ...opts.webgpu, ...(subgroupSize !== undefined ? { subgroupSize } : {}) })];
}

/** The target a function was lowered for, or undefined when its target passes have not run. */
export function boundTarget(f: PrimFunc): string | undefined {
  const v = f.attrs[TARGET_ATTR];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Runs the target's passes on a lowered function (te.lower's output); a function already
 * lowered for this target kind is returned as is. Throws when it was lowered for another kind,
 * or (from the passes) when WGSL cannot express it, naming the pass.
 */
export function lowerForTarget(
  f: PrimFunc, target: string | Target, opts: TargetPassOptions & { readonly trace?: boolean; readonly ctx?: PassContext } = {},
): { func: PrimFunc; steps: LowerStep[] } {
  const t = parseTarget(target);
  const bound = boundTarget(f);
  if (bound !== undefined) {
    const kind = parseTarget(bound).kind;
    if (kind !== t.kind) throw new Error(`${f.name}: lowered for target '${bound}', cannot compile it for '${t.str}'; lower it again`);
    return { func: f, steps: [] };
  }
  const ctx = opts.ctx ?? currentPassContext();
  return runPasses(f, targetPasses(t, opts), { ctx, trace: opts.trace === true, what: `the ${t.kind} target passes` });
}
