// tests/codegen/wasm/logf32.test.ts — the float32 log of codegen/wasm/logf32.ts: 2^20 points over every
// binade of float32 (subnormals included) and 2^20 around 1 in ulps against Math.log rounded to float32,
// C logf's special values, and the f32x4 lanes bit for bit equal to the scalar helper.

import { describe, expect, it } from 'vitest';
import { binades, bothForms, evenly, expectExact, maxUlp } from './mathf32_harness.js';

/** ARM quotes 3.34 ulp for v_logf with fma; measured here without fma: 3 (docs/wasm.md). */
const MAX_ULP = 3;

describe('float32 log (ARM optimized-routines v_logf polynomial)', () => {
  it(`is within ${MAX_ULP} ulp of Math.log over all positive float32, subnormal to FLT_MAX, f32x4 = scalar`, async () => {
    const x = binades(-149, 128, 1 << 20);
    x[x.length - 1] = 3.4028234663852886e38;
    const got = await bothForms('log', x);
    const { ulp, at } = maxUlp(got, (i) => Math.log(x[i]!));
    expect(ulp, `max ${ulp} ulp at x = ${x[at]}: got ${got[at]}, want ${Math.fround(Math.log(x[at]!))}`).toBeLessThanOrEqual(MAX_ULP);
  });

  it(`is within ${MAX_ULP} ulp on [0.5, 2], where log x is small and n·ln2 cancels`, async () => {
    const x = evenly(0.5, 2, 1 << 20);
    const got = await bothForms('log', x);
    const { ulp, at } = maxUlp(got, (i) => Math.log(x[i]!));
    expect(ulp, `max ${ulp} ulp at x = ${x[at]}: got ${got[at]}`).toBeLessThanOrEqual(MAX_ULP);
  });

  it('gives C logf\'s special values', async () => {
    const cases: [number, number][] = [
      [0, -Infinity], [-0, -Infinity], [1, 0], [-1, NaN], [-1e-45, NaN], [-Infinity, NaN], [Infinity, Infinity], [NaN, NaN],
    ];
    const got = await bothForms('log', Float32Array.from(cases.map((c) => c[0])));
    expectExact('log', cases.map((c) => `(${c[0]})`), got, cases.map((c) => c[1]));
  });
});
