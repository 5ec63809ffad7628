// tests/runtime/webgpu/pow_webgpu.test.ts — pow on WebGPU (codegen/wgsl/wgsl_pow.ts) against C99 powf
// (Math.pow in double rounded to float32, with C99's pow(1, y) = pow(−1, ±inf) = 1: powfRef), on the adapter at
// hand (lavapipe in CI): a grid of special bases × special exponents (±0, ±inf, NaN, ±1, subnormals, odd and even
// integers, 2^24 ± 1, non-integers), random positive bases, negative bases with integer exponents (odd ones keep
// the sign) and with non-integer ones (NaN); each through the scalar f32 and the vec2/vec3/vec4 helpers with the
// exponent read from a buffer, and again with every exponent a constant (the specialised helpers, scalar FloatImm and vec4
// Broadcast). Special results are bit exact (the sign of zero counts); the rest within WGSL's error bound for
// pow = exp2(y·log2 x) (pow_check.ts).

import { afterAll, describe, expect, it } from 'vitest';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import { hostArray } from './helpers.js';
import { POW_X, POW_Y, powMismatches, str } from './pow_check.js';
import { powKernel } from './tir_kernels.js';

afterAll(releaseWebGPU);

/** pow on the GPU over (x[i], y[i]) — over (x[i], y) for a number y — through `lanes`-wide helpers. */
async function gpuPow(x: Float32Array, y: Float32Array | number, lanes: 1 | 2 | 3 | 4): Promise<Float32Array> {
  const n = Math.ceil(x.length / 12) * 12;
  const pad = (a: Float32Array): (k: number) => number => (k) => (k < a.length ? a[k]! : 2);
  const args = [hostArray([n], 'float32', pad(x)), hostArray([n], 'float32', typeof y === 'number' ? () => 0 : pad(y)), hostArray([n])];
  const mod = await buildWebGPU(powKernel(n, lanes, typeof y === 'number' ? y : undefined), 'webgpu', {});
  try {
    await mod.run(...args);
  } finally {
    mod.dispose();
  }
  return Float32Array.from(args[2]!.data.subarray(0, x.length));
}

let seed = 20261201;
const rand = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

/** Every POW_X × POW_Y pair, then 1500 random positive bases over 2^±30 with exponents in [−4, 4], 1500 negative bases with
 * integer exponents in [−25, 25], 500 negative bases with non-integer exponents. */
function cases(): { x: Float32Array; y: Float32Array } {
  const x: number[] = [], y: number[] = [];
  for (const a of POW_X) for (const b of POW_Y) x.push(a), y.push(b);
  for (let k = 0; k < 1500; k++) x.push(2 ** (-30 + 60 * rand())), y.push(-4 + 8 * rand());
  for (let k = 0; k < 1500; k++) x.push(-(2 ** (-6 + 12 * rand()))), y.push(Math.round(-25 + 50 * rand()));
  for (let k = 0; k < 500; k++) x.push(-(2 ** (-6 + 12 * rand()))), y.push(Math.round(-25 + 50 * rand()) + 0.25 + 0.5 * rand());
  return { x: Float32Array.from(x), y: Float32Array.from(y) };
}

describe('pow on WebGPU follows C99 powf', () => {
  const { x, y } = cases();

  for (const lanes of [1, 2, 3, 4] as const) {
    it(`${lanes === 1 ? 'f32' : `vec${lanes}<f32>`}, exponent from a buffer: negative bases, specials, ordinary pairs within WGSL's bound`, async () => {
      const got = await gpuPow(x, y, lanes);
      const { bad, worst } = powMismatches(x, y, got);
      expect(bad.slice(0, 20), `${bad.length} mismatches`).toEqual([]);
      // The sweep exercises the bound: ordinary pairs are not all exact.
      expect(worst).toBeGreaterThan(0);
      // Spot values the brief names.
      const at = (a: number, b: number): number => got[[...x.keys()].find((i) => Object.is(x[i], a) && Object.is(y[i], b))!]!;
      expect([at(-2, 3), at(-2, 2), at(-2, 2.5), at(-0, -1), at(-Infinity, -3), at(-1, Infinity), at(NaN, 0), at(1, NaN)])
        .toEqual([-8, 4, NaN, -Infinity, -0, 1, 1, 1]);
    }, 60_000);
  }

  // One exponent of each class (odd/even integer, non-integer, each sign), 2^24 − 1 (odd) and 2^25 (even, no i32
  // parity test applies), ±0 (no helper), and NaN/±inf (the general helper).
  const CONSTANTS = [7, -3, 4, -2, 2.5, -0.75, 1e10, -1e10, 2 ** 24 - 1, -(2 ** 24 - 1), 2 ** 25, 0, -0, NaN, Infinity, -Infinity];
  const xc = Float32Array.from([...POW_X, ...Array.from({ length: 300 }, () => (rand() < 0.5 ? -1 : 1) * 2 ** (-8 + 16 * rand()))]);

  for (const lanes of [1, 4] as const) {
    it(`${lanes === 1 ? 'f32' : 'vec4<f32>'}, constant exponents through the specialised helpers`, async () => {
      for (const c of CONSTANTS) {
        const { bad } = powMismatches(xc, c, await gpuPow(xc, c, lanes));
        expect(bad.slice(0, 10), `pow(x, ${str(c)}): ${bad.length} mismatches`).toEqual([]);
      }
    }, 60_000);
  }
});
