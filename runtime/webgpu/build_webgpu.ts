// runtime/webgpu/build_webgpu.ts — buildWebGPU = compileWGSL (codegen/wgsl/compile_wgsl.ts) + loadWebGPU
// (load_webgpu.ts, which the runtime-only entry uses without the code generator).

import type { WGSLOptions } from '../../codegen/wgsl/codegen_wgsl.js';
import { compileWGSL } from '../../codegen/wgsl/compile_wgsl.js';
import type { Target } from '../../target/index.js';
import type { PrimFunc } from '../../tir/nodes.js';
import type { BuiltModule } from '../module.js';
import { loadWebGPU } from './load_webgpu.js';

export { formatCompilationMessages, loadWebGPU } from './load_webgpu.js';

export type WebGPUBuildOptions = WGSLOptions;

export async function buildWebGPU(f: PrimFunc, target: string | Target, opts: WebGPUBuildOptions = {}): Promise<BuiltModule> {
  return loadWebGPU(compileWGSL(f, target, opts), f);
}
