// tests/ops/pow_scalar.test.ts — ops/pow_scalar.ts on its own, on wasm (SIMD on and off): ops.pow(x, c) for each
// rewritten exponent c is a float32 expression with no pow call, and its values on 41 inputs (±0, ±∞, NaN,
// subnormals, huge, ordinary of both signs; 4 does not divide 41) are plain JS Math.pow rounded to float32 — bit equal
// for 0, 1, 2, −1 and 0.5 (x·x, 1/x and √x are correctly rounded, and so is the float64 result rounded to float32),
// within 2 ulps for 3 ((x·x)·x, as onnxruntime: two roundings) and −0.5 (1/√x), the special values exact. Other exponents keep te.pow.
// (Mutation sample, session 16: the tests that reach the file through ops/ ran only ops.pow(x, 2); the onnxruntime
// comparison in tests/relay/transform/simplify_power.test.ts kills the −0.5 cases only through its WebGPU half.)

import { describe, expect, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { POW_SCALAR_EXPONENTS, powByScalar } from '../../ops/pow_scalar.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import * as te from '../../schedule/index.js';
import { print } from '../../tir/printer.js';

const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2, -2, 0.5, -0.5, 1e-40, -1e-40, 3e38, -3e38, 1e-20, 1e20, -1e13, 7, 0.1];
const X = Float32Array.from({ length: 41 }, (_, i) => SPECIAL[i] ?? Math.fround((i - 30) * 1.37 + 0.01 * i * i));
const str = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
const ulpsApart = (a: number, b: number): number => {
  const bits = (v: number) => {
    const i = new Int32Array(Float32Array.of(v).buffer)[0]!;
    return i < 0 ? -(i & 0x7fffffff) : i;
  };
  return Math.abs(bits(a) - bits(b));
};

async function run(c: number, target: string): Promise<{ got: Float32Array; tir: string }> {
  const x = te.placeholder([X.length], 'float32', 'x');
  const y = ops.pow(x, c);
  const f = te.lower(ops.defaultSchedule([y], target), [x, y], { name: 'pow_c' });
  const mod = await build(f, target);
  const xa = array(X, [X.length], 'float32');
  const ya = array(new Float32Array(X.length).fill(12345), [X.length], 'float32');
  try {
    await mod.run(xa, ya);
    return { got: Float32Array.from(ya.toArray() as Float32Array), tir: print(f) };
  } finally {
    mod.dispose();
    xa.free();
    ya.free();
  }
}

describe('ops.pow(x, c) for the rewritten exponents matches plain JS Math.pow', () => {
  for (const c of POW_SCALAR_EXPONENTS) {
    it(`c = ${c}`, async () => {
      for (const target of ['wasm -threads=1', 'wasm -simd=0 -threads=1']) {
        const { got, tir } = await run(c, target);
        expect(tir, 'no pow call left').not.toMatch(/\bpow\(/);
        const bad: string[] = [];
        for (let i = 0; i < X.length; i++) {
          const want = Math.fround(Math.pow(X[i]!, c));
          const g = got[i]!;
          const ok = Number.isNaN(want) ? Number.isNaN(g)
            : (c === -0.5 || c === 3) && Number.isFinite(want) && want !== 0 ? ulpsApart(g, want) <= 2
              : Object.is(g, want);
          if (!ok) bad.push(`${target}: ${str(X[i]!)} ** ${c} = ${str(g)}, plain JS ${str(want)}`);
        }
        expect(bad).toEqual([]);
      }
    }, 120_000);
  }
});

describe('powByScalar', () => {
  const x = te.placeholder([4], 'float32', 'x').at(0);
  it('returns a float32 expression for each listed exponent, undefined for the rest', () => {
    expect([...POW_SCALAR_EXPONENTS].sort((a, b) => a - b)).toEqual([-1, -0.5, 0, 0.5, 1, 2, 3]);
    for (const c of POW_SCALAR_EXPONENTS) expect(powByScalar(x, c)?.dtype, `c = ${c}`).toBe('float32');
    for (const c of [4, -2, 2.5, 1.5, -3, 0.25, NaN, Infinity, -Infinity]) expect(powByScalar(x, c), `c = ${c}`).toBeUndefined();
  });
});
