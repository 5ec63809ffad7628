// target/index.ts — targets: parse, canonical string, options per kind, family matching.

export { parseTarget, canonicalTarget, targetFamily, familyOf, sameFamily, type Target, type TargetKind } from './target.js';
export { availableCores, wasmOptions, webgpuOptions, type WasmTargetOptions, type WebGPUTargetOptions } from './options.js';
