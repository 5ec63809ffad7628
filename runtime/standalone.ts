// runtime/standalone.ts — the runtime-only entry (package export `tensortune/runtime`): load a built
// bundle and run it in Node or a browser, with nothing of the compiler (no binaryen, no schedule/,
// no codegen beyond the kernel ABI). Kept small on purpose: see docs/deploy.md for its size.

export { readBundle, type ReadBundle } from './bundle_source.js';
export { checkManifest, BUNDLE_FORMAT, BUNDLE_VERSION, type BundleManifest, type KernelEntry, type TensorInfo } from './bundle.js';
export { decodeNpy, encodeNpy, castForInput, type HostTensor } from './npy.js';
export { NDArray, array, empty, type NDDType } from './ndarray.js';
export { loadWasm } from './wasm_module.js';
export { parseTarget, type Target } from '../target/index.js';
export type { CompiledArtifact } from '../codegen/artifact.js';
export type { BuiltModule, DeviceInfo, NDArrayLike, TimeResult } from './module.js';
