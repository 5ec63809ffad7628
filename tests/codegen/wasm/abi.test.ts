// tests/codegen/wasm/abi.test.ts — the binaryen-free relaxed-SIMD probe (codegen/wasm/abi.ts) agrees with a
// module binaryen builds for the same function, so the runtime-only entry detects support the same way;
// and in a child Node started with --experimental-wasm-relaxed-simd the probe says yes.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

  it('says yes in a Node started with --experimental-wasm-relaxed-simd (the probe is a valid relaxed_madd module)', async () => {
    const child = fileURLToPath(new URL('./fixtures/relaxed_probe_child.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath,
      ['--experimental-wasm-relaxed-simd', '--import', 'tsx', child],
      { cwd: fileURLToPath(new URL('../../..', import.meta.url)), timeout: 110_000 });
    expect(JSON.parse(stdout)).toEqual({ supported: true });
    // A child Node compiles the source again (tsx): slow on a loaded machine, so a long limit.
  }, 120_000);
});
