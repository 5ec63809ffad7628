// codegen/wasm/index.ts — TIR → WebAssembly: the public entry points of the wasm code generator.

export { compileWasm, codegenOptions, wasmText, ENTRY_EXPORT, type WasmMeta, type WasmParamMeta } from './compile_wasm.js';
export { relaxedSimdSupported } from './relaxed.js';
export type { CodegenOptions } from './func_context.js';
