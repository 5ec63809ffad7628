// runtime/build.ts — load (a CompiledArtifact into a runnable module) and build (compile + load),
// dispatched on the target kind. The WebGPU side is imported lazily so wasm-only users never
// load the Dawn binding.

import type { CompiledArtifact } from '../codegen/artifact.js';
import { compile } from '../codegen/compile.js';
import { compileWasm } from '../codegen/wasm/compile_wasm.js';
import { parseTarget, type Target } from '../target/index.js';
import type { PrimFunc } from '../tir/nodes.js';
import type { BuiltModule } from './module.js';
import { loadWasm } from './wasm_module.js';

/** Loads a compiled artifact into a runnable module; `func` (optional) is kept as the module's IR. */
export async function load(artifact: CompiledArtifact, func?: PrimFunc): Promise<BuiltModule> {
  const kind = parseTarget(artifact.target).kind;
  if (kind === 'wasm') return loadWasm(artifact, func);
  const { loadWebGPU } = await import('./webgpu/load_webgpu.js');
  return loadWebGPU(artifact, func);
}

/** Compiles (codegen/compile.ts) and loads in one step. */
export async function build(f: PrimFunc, target: string | Target = 'wasm'): Promise<BuiltModule> {
  const t = parseTarget(target);
  if (t.kind === 'wasm') return loadWasm(compileWasm(f, t), f);
  return load(await compile(f, t), f);
}
