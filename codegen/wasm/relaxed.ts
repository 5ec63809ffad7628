// codegen/wasm/relaxed.ts — relaxed-SIMD fused multiply-add, which binaryen's JS wrapper does
// not expose as a method (only through its C API), and detection of runtime support for it.

import binaryen from 'binaryen';
import type { Ref } from './func_context.js';

interface RawTernary {
  _BinaryenSIMDTernary(module: number, op: number, a: Ref, b: Ref, c: Ref): Ref;
  RelaxedMaddVecF32x4: number;
}

/** f32x4.relaxed_madd(a, b, c) = a·b + c, fused where the hardware has FMA. */
export function emitRelaxedMadd(m: binaryen.Module, a: Ref, b: Ref, c: Ref): Ref {
  const raw = binaryen as unknown as RawTernary;
  return raw._BinaryenSIMDTernary(m.ptr, raw.RelaxedMaddVecF32x4, a, b, c);
}

let relaxedSupport: boolean | undefined;

/** Whether this JavaScript engine accepts relaxed-SIMD wasm (Node 20 needs --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  if (relaxedSupport !== undefined) return relaxedSupport;
  const m = new binaryen.Module();
  try {
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128 | binaryen.Features.RelaxedSIMD);
    const v = (): Ref => m.v128.const(new Array<number>(16).fill(0));
    m.addFunction('f', binaryen.none, binaryen.v128, [], emitRelaxedMadd(m, v(), v(), v()));
    m.addFunctionExport('f', 'f');
    relaxedSupport = WebAssembly.validate(new Uint8Array(m.emitBinary()));
  } finally {
    m.dispose();
  }
  return relaxedSupport;
}
