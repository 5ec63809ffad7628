// tests/codegen/wasm/abi.test.ts — the binaryen-free relaxed-SIMD probe (codegen/wasm/abi.ts) agrees with a
// module binaryen builds for the same function, so the runtime-only entry detects support the same way.

import binaryen from 'binaryen';
import { describe, expect, it } from 'vitest';
import { relaxedSimdSupported } from '../../../codegen/wasm/abi.js';
import { emitRelaxedMadd } from '../../../codegen/wasm/relaxed.js';

describe('relaxedSimdSupported', () => {
  it('answers as WebAssembly.validate does for binaryen’s relaxed_madd module', () => {
    const m = new binaryen.Module();
    try {
      m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128 | binaryen.Features.RelaxedSIMD);
      const v = () => m.v128.const(new Array<number>(16).fill(0));
      m.addFunction('f', binaryen.none, binaryen.v128, [], emitRelaxedMadd(m, v(), v(), v()));
      expect(relaxedSimdSupported()).toBe(WebAssembly.validate(new Uint8Array(m.emitBinary())));
    } finally {
      m.dispose();
    }
  });
});
