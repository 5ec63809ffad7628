// codegen/wasm/compile_wasm.ts — PrimFunc → WebAssembly binary (a CompiledArtifact): builds the
// module with binaryen's API, validates, optimizes at the target's -opt level, emits bytes.

import binaryen from 'binaryen';
import { elementType, type PrimFunc } from '../../tir/nodes.js';
import { paramShapes } from '../../tir/param_shapes.js';
import type { CompiledArtifact } from '../artifact.js';
import { parseTarget, wasmOptions, type Target } from '../../target/index.js';
import { currentPassContext } from '../../tir/pass_context.js';
import { lowerForTarget } from '../target_passes.js';
import { FuncContext, type CodegenOptions, type ModuleState } from './func_context.js';
import { PARALLEL_IMPORT } from './parallel_outline.js';
import { emitStmt } from './stmt_emitter.js';
import { ENTRY_EXPORT, type WasmMeta } from './abi.js';

// The kernel ABI lives in abi.ts (no binaryen), so the runtime-only entry can load kernels.
export { ENTRY_EXPORT, type WasmMeta, type WasmParamMeta } from './abi.js';


/** The emitter's options: the target's wasm options and the pass context's maxUnroll. */
export function codegenOptions(target: string | Target): CodegenOptions {
  const o = wasmOptions(target);
  return { ...o, maxUnroll: currentPassContext().config.maxUnroll };
}

/** Compiles a lowered PrimFunc for a wasm target into plain bytes + metadata. */
export function compileWasm(func: PrimFunc, target: string | Target = 'wasm'): CompiledArtifact {
  const t = parseTarget(target);
  const opts = codegenOptions(t);
  // The wasm target passes (parallel-loop outlining) run here unless they already have.
  const f = lowerForTarget(func, t).func;
  const shapes = paramShapes(f, 'wasm codegen');
  for (const p of f.params) {
    const e = elementType(p.dtype);
    if (e !== 'float32' && e !== 'int32') {
      throw new Error(`wasm codegen: ${f.name}: parameter ${p.name} has dtype ${p.dtype}; wasm arguments must be float32 or int32`);
    }
    if (p.shape.length !== 1) throw new Error(`wasm codegen: ${f.name}: parameter ${p.name} must be flattened to 1-D before code generation`);
  }
  const m = new binaryen.Module();
  try {
    let features = binaryen.Features.MVP | binaryen.Features.SIMD128 | binaryen.Features.NontrappingFPToInt |
      binaryen.Features.Atomics | binaryen.Features.BulkMemory | binaryen.Features.SignExt | binaryen.Features.MutableGlobals;
    if (opts.relaxedSimd) features |= binaryen.Features.RelaxedSIMD;
    m.setFeatures(features);
    m.setMemory(1, 65536, null, [], true, false, 'mem');
    m.addMemoryImport('mem', 'env', 'memory', true);
    m.addFunctionImport(PARALLEL_IMPORT, 'env', 'parallel_for',
      binaryen.createType([binaryen.i32, binaryen.i32, binaryen.i32, binaryen.i32]), binaryen.none);
    const mod: ModuleState = { m, opts, outlined: [], outlinedByLoop: new Map(), helpers: new Set() };
    // main(scratch, p0, p1, …): parameters are byte addresses in the shared memory.
    const paramTypes = [binaryen.i32, ...f.params.map(() => binaryen.i32)];
    const ctx = new FuncContext(mod, paramTypes, 0, false);
    f.params.forEach((p, i) => ctx.homes.set(p, { kind: 'memory', baseLocal: i + 1 }));
    const body = emitStmt(ctx, f.body);
    m.addFunction(ENTRY_EXPORT, binaryen.createType(paramTypes), binaryen.none, ctx.locals, body);
    m.addFunctionExport(ENTRY_EXPORT, ENTRY_EXPORT);
    if (!m.validate()) throw new Error(`wasm codegen: internal: binaryen rejected the module generated for ${f.name}`);
    binaryen.setOptimizeLevel(opts.optLevel);
    binaryen.setShrinkLevel(0);
    if (opts.optLevel > 0) m.optimize();
    const bytes = m.emitBinary();
    const meta: WasmMeta = {
      name: f.name,
      params: f.params.map((p, i) => ({ name: p.name, dtype: p.dtype, shape: shapes[i]! })),
      frameBytes: ctx.frameMax,
      outlined: mod.outlined.map((o) => ({ exportName: o.exportName, index: o.index, frameBytes: o.frameBytes })),
      simd: opts.simd,
      relaxedSimd: opts.relaxedSimd,
      threads: opts.threads,
      optLevel: opts.optLevel,
    };
    return { target: t.str, format: 'wasm', bytes, meta: meta as unknown as Record<string, unknown> };
  } finally {
    m.dispose();
  }
}

/** The module as WebAssembly text, for reading what the codegen made (not used on the hot path). */
export function wasmText(f: PrimFunc, target: string | Target = 'wasm'): string {
  const art = compileWasm(f, target);
  const m = binaryen.readBinary(art.bytes);
  m.setFeatures(binaryen.Features.All);
  try {
    return m.emitText();
  } finally {
    m.dispose();
  }
}
