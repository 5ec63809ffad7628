// tests/codegen/wasm/powf32.test.ts — pow on float32 (codegen/wasm/powf32.ts): 2^20 random (x, y) with
// positive x over 40 binades and y in [−30, 30] (overflow and underflow included), plus 2^18 negative bases
// with integer exponents, in ulps against Math.pow rounded to float32; C99 powf's special values (which
// numpy and onnxruntime's std::pow follow, and Math.pow does not for pow(1, NaN) and pow(−1, ±inf)); the
// f32x4 lanes bit for bit equal to the scalar helper.

import { describe, expect, it } from 'vitest';
import { bothForms, expectExact, maxUlp } from './mathf32_harness.js';

/** The f64 core makes it correctly rounded but for rare ties; measured: 1 ulp (docs/wasm.md). */
const MAX_ULP = 1;

let seed = 20261201;
const rand = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

describe('float32 pow (log and exp in f64, C99 special cases)', () => {
  it(`is within ${MAX_ULP} ulp of Math.pow for positive bases, f32x4 = scalar`, async () => {
    const n = 1 << 20;
    const x = Float32Array.from({ length: n }, () => 2 ** (-20 + 40 * rand()));
    const y = Float32Array.from({ length: n }, () => -30 + 60 * rand());
    const got = await bothForms('pow', x, y);
    const { ulp, at } = maxUlp(got, (i) => Math.pow(x[i]!, y[i]!));
    expect(ulp, `max ${ulp} ulp at pow(${x[at]}, ${y[at]}) = ${got[at]}, want ${Math.fround(Math.pow(x[at]!, y[at]!))}`).toBeLessThanOrEqual(MAX_ULP);
    let edges = 0;
    for (let i = 0; i < n; i++) if (got[i] === 0 || got[i] === Infinity) edges++;
    expect(edges, 'the sweep reaches overflow and underflow').toBeGreaterThan(1000);
  });

  it(`is within ${MAX_ULP} ulp for negative bases with integer exponents (odd ones negative)`, async () => {
    const n = 1 << 18;
    const x = Float32Array.from({ length: n }, () => -(2 ** (-6 + 12 * rand())));
    const y = Float32Array.from({ length: n }, () => Math.round(-25 + 50 * rand()));
    const got = await bothForms('pow', x, y);
    const { ulp, at } = maxUlp(got, (i) => Math.pow(x[i]!, y[i]!));
    expect(ulp, `max ${ulp} ulp at pow(${x[at]}, ${y[at]}) = ${got[at]}`).toBeLessThanOrEqual(MAX_ULP);
  });

  it('gives C99 powf\'s special values', async () => {
    const third = Math.fround(1 / 3);
    const cases: [number, number, number][] = [
      [2, 0, 1], [NaN, 0, 1], [NaN, -0, 1], [Infinity, 0, 1], [1, NaN, 1], [1, Infinity, 1], [1, -Infinity, 1],
      [-1, Infinity, 1], [-1, -Infinity, 1], [NaN, 1, NaN], [2, NaN, NaN], [-1, NaN, NaN],
      [0, -1, Infinity], [-0, -1, -Infinity], [-0, -2, Infinity], [0, 1, 0], [-0, 3, -0], [-0, 2, 0], [-0, 0.5, 0],
      [-0, -0.5, Infinity], [0, -Infinity, Infinity], [0, Infinity, 0],
      [0.5, Infinity, 0], [0.5, -Infinity, Infinity], [2, Infinity, Infinity], [2, -Infinity, 0], [-0.5, Infinity, 0], [-2, -Infinity, 0],
      [Infinity, -1, 0], [Infinity, 2, Infinity], [-Infinity, 3, -Infinity], [-Infinity, 2, Infinity], [-Infinity, -3, -0],
      [-Infinity, -2, 0], [-Infinity, 0.5, Infinity], [-Infinity, -0.5, 0],
      [-2, 3, -8], [-2, 2, 4], [-3, 3, -27], [-2, 0.5, NaN], [-8, third, NaN], [-2, 1e10, Infinity], [-2, -1e10, 0], [-2, 1e10 + 1024, Infinity],
      [2, 127, 2 ** 127], [2, 128, Infinity], [2, -149, 2 ** -149], [2, -150, 0], [-2, -149, -(2 ** -149)], [10, 2, 100], [0.5, -126, 2 ** 126],
    ];
    const got = await bothForms('pow', Float32Array.from(cases.map((c) => c[0])), Float32Array.from(cases.map((c) => c[1])));
    expectExact('pow', cases.map((c) => `(${c[0]}, ${c[1]})`), got, cases.map((c) => c[2]));
  });
});
