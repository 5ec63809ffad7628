// codegen/wgsl/kernel_passes.ts — the WebGPU target's passes as pipeline entries (PrimFunc →
// PrimFunc, run by tir/pipeline.ts's runner so TENSORTUNE_DEBUG=lower and the verifier see them):
// kernel splitting, storage-scope inference, warp memory to subgroup shuffles, lane legalization, barrier insertion, floor division made
// truncating where the dividend is provably non-negative. Each per-kernel
// pass maps over the kernels splitKernels finds, exactly as the code generator will split them.

import { allocate, type Buffer, type PrimFunc, type Stmt } from '../../tir/nodes.js';
import type { Pass } from '../../tir/pass_context.js';
import { lowerFloorDiv } from '../../tir/passes/lower_floor_div.js';
import { inferStorageScope } from './infer_storage_scope.js';
import { insertBarriersStmt } from './insert_barriers.js';
import { legalizeLanesStmt } from './legalize_lanes.js';
import { lowerWarpMemory } from './lower_warp_memory.js';
import { splitKernels } from './launch_config.js';

/** The attribute that makes a function with no thread-bound loop one invocation (see WGSLOptions). */
export const SINGLE_INVOCATION_ATTR = 'webgpu.singleInvocation';

export interface WebGPUPassOptions {
  /** Run a function that binds no loop as one invocation (slow; for debugging and odd ops). */
  readonly singleInvocation?: boolean;
  /** Leave barrier insertion out (only to show what goes wrong without it). */
  readonly skipBarriers?: boolean;
  /** The target's subgroup size (`-subgroup-size`), which warp memory needs; set from the target, not by users. */
  readonly subgroupSize?: number;
}

/** The pass options within a wider options object (WGSLOptions), without undefined fields. */
export function webgpuPassOptions(o: WebGPUPassOptions): WebGPUPassOptions {
  return {
    ...(o.singleInvocation !== undefined ? { singleInvocation: o.singleInvocation } : {}),
    ...(o.skipBarriers !== undefined ? { skipBarriers: o.skipBarriers } : {}),
  };
}

function isSingleInvocation(f: PrimFunc): boolean {
  return f.attrs[SINGLE_INVOCATION_ATTR] === true;
}

/** Scratch allocations around the kernels, kernels in order (no flattening of a kernel's own sequence). */
function rebuild(scratch: readonly Buffer[], kernels: readonly Stmt[]): Stmt {
  let body: Stmt = kernels.length === 1 ? kernels[0]! : { kind: 'SeqStmt', seq: [...kernels] };
  for (let i = scratch.length - 1; i >= 0; i--) body = allocate(scratch[i]!, body);
  return body;
}

/** Applies `fn` to each kernel of `f`; returns `f` itself when no kernel changed. */
function mapKernels(f: PrimFunc, name: string, fn: (k: Stmt) => Stmt): PrimFunc {
  const { scratch, kernels } = splitKernels(f.body, isSingleInvocation(f));
  const out = kernels.map(fn);
  if (out.every((k, i) => k === kernels[i])) return f;
  const body = rebuild(scratch, out);
  const again = splitKernels(body, isSingleInvocation(f)).kernels.length;
  if (again !== kernels.length) throw new Error(`${name}: internal: ${f.name} had ${kernels.length} kernels and now splits into ${again}`);
  return { ...f, body };
}

/**
 * webgpu.splitKernels: checks the function splits into kernels (one per top-level thread-bound
 * nest; top-level global allocations become scratch buffers) and normalizes its body to that
 * form. Throws, naming the statement, when a top-level nest binds no thread and the function is
 * not a single invocation.
 */
function splitKernelsPass(opts: WebGPUPassOptions): Pass {
  return {
    name: 'webgpu.splitKernels',
    run: (f) => {
      const single = opts.singleInvocation ?? isSingleInvocation(f);
      const g = single === isSingleInvocation(f) ? f : { ...f, attrs: { ...f.attrs, [SINGLE_INVOCATION_ATTR]: single } };
      const { scratch, kernels } = splitKernels(g.body, single);
      const inner = stripScratch(g.body);
      const same = (kernels.length === 1 && kernels[0] === inner) ||
        (inner.kind === 'SeqStmt' && inner.seq.length === kernels.length && inner.seq.every((k, i) => k === kernels[i]));
      return same ? g : { ...g, body: rebuild(scratch, kernels) };
    },
  };
}

function stripScratch(s: Stmt): Stmt {
  while (s.kind === 'Allocate' && s.buffer.scope === 'global') s = s.body;
  return s;
}

/** The WebGPU passes, in order (Halide's Lower.cpp gates its GPU passes on the target likewise). */
export function webgpuPasses(opts: WebGPUPassOptions = {}): Pass[] {
  const passes: Pass[] = [
    splitKernelsPass(opts),
    { name: 'webgpu.inferStorageScope', run: (f) => mapKernels(f, 'webgpu.inferStorageScope', inferStorageScope) },
    { name: 'webgpu.lowerWarpMemory', run: (f) => mapKernels(f, 'webgpu.lowerWarpMemory', (k) => lowerWarpMemory(k, opts.subgroupSize)) },
    { name: 'webgpu.legalizeLanes', run: (f) => mapKernels(f, 'webgpu.legalizeLanes', legalizeLanesStmt) },
  ];
  if (opts.skipBarriers !== true) {
    passes.push({ name: 'webgpu.insertBarriers', run: (f) => mapKernels(f, 'webgpu.insertBarriers', insertBarriersStmt) });
  }
  // Last: the barrier analysis reads shared indices as floordiv/floormod of thread indices.
  passes.push({ name: 'tir.lowerFloorDiv', run: lowerFloorDiv });
  return passes;
}
