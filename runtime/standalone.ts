// runtime/standalone.ts — the runtime-only entry (package export `tensortune/runtime`): load a built
// bundle and run it in Node or a browser, with nothing of the compiler (no binaryen, no schedule/,
// no codegen beyond the kernel ABI). Kept small on purpose: see docs/deploy.md for its size.

export { readBundle, type ReadBundle } from './bundle_source.js';
export { checkManifest, BUNDLE_FORMAT, BUNDLE_VERSION, type BundleManifest, type KernelEntry, type TensorInfo } from './bundle.js';
export { decodeNpy, encodeNpy, castForInput, type HostTensor } from './npy.js';
export { randomTensor, randomInputs } from './random_inputs.js';
export { NDArray, array, empty, type NDDType } from './ndarray.js';
export { loadWasm } from './wasm_module.js';
export { setParallelCostModel, EIGEN_COST_MODEL, WASM_COST_MODEL, ALWAYS_PARALLEL, type ParallelCostModel } from './parallel_cost.js';
export { parseTarget, wasmOptions, type Target } from '../target/index.js';
export type { CompiledArtifact } from '../codegen/artifact.js';
export type { BuiltModule, DeviceInfo, NDArrayLike, TimeResult } from './module.js';

import type { CompiledArtifact } from '../codegen/artifact.js';
import { parseTarget } from '../target/index.js';
import type { BuiltModule } from './module.js';
import { loadWasm } from './wasm_module.js';

/**
 * Loads one compiled kernel (a bundle's wasm or WGSL artifact) into a runnable module: wasm in
 * this thread's shared memory, WGSL on the WebGPU device (navigator.gpu, or Dawn in Node).
 */
export async function loadKernel(artifact: CompiledArtifact): Promise<BuiltModule> {
  if (parseTarget(artifact.target).kind === 'wasm') return loadWasm(artifact);
  const { loadWebGPU } = await import('./webgpu/load_webgpu.js');
  return loadWebGPU(artifact);
}

export { GraphExecutor, type GraphInput, type GraphOutputs } from './graph_executor.js';
export { checkPlan, type GraphLoadOptions, type GraphPlan } from './graph_plan.js';

import type { BundleManifest } from './bundle.js';
import { readBundle } from './bundle_source.js';
import { GraphExecutor } from './graph_executor.js';
import type { GraphLoadOptions, GraphPlan } from './graph_plan.js';

/** A bundle ready to run: its manifest and a graph executor with every kernel loaded. */
export interface LoadedBundle {
  readonly manifest: BundleManifest;
  readonly executor: GraphExecutor;
  /** The folder or URL it was read from. */
  readonly location: string;
}

/**
 * Reads a bundle (a folder in Node, a URL anywhere) and loads its plan into a GraphExecutor on the
 * bundle's target (wasm: this thread's memory and thread pool; webgpu: navigator.gpu or Dawn).
 * Throws a TypeError naming the file, manifest field or plan field that is wrong.
 */
export async function loadBundle(location: string | URL, opts: GraphLoadOptions = {}): Promise<LoadedBundle> {
  const { manifest, plan, location: where } = await readBundle(location);
  const executor = await GraphExecutor.load(plan as GraphPlan, opts);
  return { manifest, executor, location: where };
}
