// runtime/standalone.ts — the runtime-only entry (package export `tensortune/runtime`): load a built
// bundle and run it in Node or a browser, with nothing of the compiler (no binaryen, no schedule/,
// no codegen beyond the kernel ABI). Kept small on purpose: see docs/deploy.md for its size.

export { readBundle, type ReadBundle } from './bundle_source.js';
export { checkManifest, BUNDLE_FORMAT, BUNDLE_VERSION, type BundleManifest, type KernelEntry, type TensorInfo } from './bundle.js';
export { decodeNpy, encodeNpy, castForInput, type HostTensor } from './npy.js';
export { randomTensor, randomInputs } from './random_inputs.js';
export { NDArray, array, empty, type NDDType } from './ndarray.js';
export { loadWasm } from './wasm_module.js';
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
