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

// Detection needs no binaryen: it lives with the kernel ABI (abi.ts), which the runtime imports.
export { relaxedSimdSupported } from './abi.js';
