// codegen/wasm/abi.ts — what a compiled wasm kernel promises its loader (entry export, metadata) and
// the engine feature probe, with no binaryen import: the runtime-only entry loads kernels through this.

/** Per-parameter facts the runtime checks arguments against. */
export interface WasmParamMeta {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/** The JSON metadata of a wasm artifact (what `loadWasm` needs besides the bytes). */
export interface WasmMeta {
  readonly name: string;
  readonly params: readonly WasmParamMeta[];
  /** Scratch bytes the entry function needs (main-thread allocations and parallel argument blocks). */
  readonly frameBytes: number;
  /** Outlined parallel bodies: export name and per-thread scratch bytes. */
  readonly outlined: readonly { readonly exportName: string; readonly index: number; readonly frameBytes: number }[];
  readonly simd: boolean;
  readonly relaxedSimd: boolean;
  readonly threads: number;
  readonly optLevel: number;
}

export const ENTRY_EXPORT = 'main';

let relaxedSupport: boolean | undefined;

/**
 * A module of one function returning f32x4.relaxed_madd(0, 0, 0), written out byte by byte
 * (the relaxed-SIMD proposal's opcode 0xfd 0x105), so detection needs no code generator.
 */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code section: one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // v128.const 0 (three times)
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd
  0x0b, // end
]);

/** Whether this JavaScript engine accepts relaxed-SIMD wasm (Node 20 needs --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  relaxedSupport ??= WebAssembly.validate(RELAXED_PROBE);
  return relaxedSupport;
}
