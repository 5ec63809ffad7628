// codegen/compile.ts — compile(f, target): a lowered PrimFunc to a CompiledArtifact, dispatched
// on the target kind (wasm → compileWasm, webgpu → compileWGSL). Runs anywhere; loads nothing.

import { parseTarget, type Target } from '../target/index.js';
import type { PrimFunc } from '../tir/nodes.js';
import type { CompiledArtifact } from './artifact.js';
import { compileWasm } from './wasm/compile_wasm.js';
import { compileWGSL } from './wgsl/compile_wgsl.js';

/**
 * Compiles a lowered PrimFunc for `target` to plain bytes + metadata (transferable to another
 * worker). Throws on an unknown target or when the code generator refuses the function.
 */
export async function compile(f: PrimFunc, target: string | Target = 'wasm'): Promise<CompiledArtifact> {
  const t = parseTarget(target);
  return t.kind === 'wasm' ? compileWasm(f, t) : compileWGSL(f, t);
}
