// codegen/artifact.ts — what a code generator emits: a compiled kernel as plain data, the
// hand-off from codegen/ (compileWasm, compileWGSL) to runtime/ (loadWasm, loadWebGPU).

/**
 * A compiled kernel as plain data, so a builder in one worker (or machine) can hand it to a
 * runner in another: wasm binary bytes, or WGSL source as UTF-8 bytes, plus JSON metadata.
 */
export interface CompiledArtifact {
  /** The canonical target string it was compiled for. */
  readonly target: string;
  readonly format: 'wasm' | 'wgsl';
  readonly bytes: Uint8Array;
  /** WasmMeta (codegen/wasm/compile_wasm.ts) or WGSLMeta (codegen/wgsl/codegen_wgsl.ts) as JSON. */
  readonly meta: Readonly<Record<string, unknown>>;
}
