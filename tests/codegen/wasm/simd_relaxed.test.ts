// tests/codegen/wasm/simd_relaxed.test.ts — `-relaxed-simd=1`'s one rewrite in codegen/wasm/simd.ts:
// a float32 vector `x + a·b` (product on either side) becomes f32x4.relaxed_madd(a, b, x), and
// nothing else does (a − , an add of a non-product, int32, scalar code). The module text says which
// instruction was chosen; the modules compiled here run in a child Node started with
// --experimental-wasm-relaxed-simd (this one cannot instantiate relaxed SIMD), against plain JS.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compileWasm, wasmText } from '../../../codegen/wasm/compile_wasm.js';
import { KERNELS, inputs, kernel, reference, type KernelName } from './fixtures/relaxed_madd_kernels.js';

const madds = (name: KernelName, target: string): number => wasmText(kernel(name), target).match(/f32x4\.relaxed_madd/g)?.length ?? 0;

describe('relaxed SIMD multiply-add', () => {
  it('is chosen for float32 x·b + c and c + x·b only, one per f32x4 part', () => {
    const on = 'wasm -relaxed-simd=1 -threads=1 -opt=0';
    const want: Record<KernelName, number> = { xb_plus_c: 2, c_plus_xb: 2, xb_minus_c: 0, x_plus_bmc: 0, bmc_plus_x: 0, xb_plus_cd: 2, int_xb_plus_c: 0 };
    for (const name of KERNELS) {
      expect(madds(name, on), name).toBe(want[name]);
      // Its three operands stay whole f32x4 values: no lane is extracted or reassembled.
      if (want[name] > 0) expect(wasmText(kernel(name), on), name).not.toMatch(/extract_lane|replace_lane/);
      expect(madds(name, 'wasm -relaxed-simd=0 -threads=1 -opt=0'), name).toBe(0);
      expect(madds(name, 'wasm -simd=0 -relaxed-simd=1 -threads=1 -opt=0'), name).toBe(0);
    }
  });

  it('computes what plain JS computes (run in a child Node with --experimental-wasm-relaxed-simd)', async () => {
    const cases = KERNELS.map((name) => {
      const art = compileWasm(kernel(name), 'wasm -relaxed-simd=1 -threads=1');
      expect(art.meta['relaxedSimd'], name).toBe(true);
      return { bytes: Buffer.from(art.bytes).toString('base64'), dtype: name.startsWith('int_') ? 'int32' : 'float32', inputs: inputs(name) };
    });
    const child = fileURLToPath(new URL('./fixtures/relaxed_madd_child.mjs', import.meta.url));
    const run = promisify(execFile)(process.execPath, ['--experimental-wasm-relaxed-simd', child], { timeout: 60_000 });
    run.child.stdin!.end(JSON.stringify(cases));
    const got = JSON.parse((await run).stdout) as number[][];
    KERNELS.forEach((name, j) => {
      const [x, b, c] = inputs(name);
      expect(got[j], name).toEqual(x.map((xi, i) => reference(name, xi, b[i]!, c[i]!)));
    });
  }, 90_000);
});
