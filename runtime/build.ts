// runtime/build.ts — build / compile / load dispatched on the target kind (wasm or webgpu).
// The WebGPU side is imported lazily so wasm-only users never load the Dawn binding.

import { compileWasm } from '../codegen/wasm/compile_wasm.js';
import type { PrimFunc } from '../tir/nodes.js';
import type { BuiltModule, CompiledArtifact } from './module.js';
import { parseTarget, type Target } from './target.js';
import { loadWasm } from './wasm_module.js';

/** Compiles a lowered PrimFunc for `target` to plain bytes + metadata (transferable to another worker). */
export async function compile(f: PrimFunc, target: string | Target = 'wasm'): Promise<CompiledArtifact> {
  const t = parseTarget(target);
  if (t.kind === 'wasm') return compileWasm(f, t);
  const { compileWGSL } = await import('./webgpu/build_webgpu.js');
  return compileWGSL(f, t);
}

/** Loads a compiled artifact into a runnable module; `func` (optional) is kept as the module's IR. */
export async function load(artifact: CompiledArtifact, func?: PrimFunc): Promise<BuiltModule> {
  const kind = parseTarget(artifact.target).kind;
  if (kind === 'wasm') return loadWasm(artifact, func);
  const { loadWebGPU } = await import('./webgpu/build_webgpu.js');
  return loadWebGPU(artifact, func);
}

/** Compiles and loads in one step. */
export async function build(f: PrimFunc, target: string | Target = 'wasm'): Promise<BuiltModule> {
  const t = parseTarget(target);
  if (t.kind === 'wasm') return loadWasm(compileWasm(f, t), f);
  const { buildWebGPU } = await import('./webgpu/build_webgpu.js');
  return buildWebGPU(f, t);
}
