// tests/codegen/wasm/expf32.test.ts — the float32 exp / sigmoid / tanh of codegen/wasm/expf32.ts:
// a dense sweep of exp over [−104, 89] (every result, normal and subnormal) in ulps against
// Math.exp rounded to float32, the special values (±0, ±inf, NaN, the overflow/underflow edges),
// sigmoid and tanh against Math in double, and the f32x4 lanes (SIMD on) bit for bit equal to the
// scalar helpers (SIMD off).

import { describe, expect, it } from 'vitest';
import * as T from '../../../tir/nodes.js';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { runWasm } from './wasm_harness.js';

type Op = 'exp' | 'tanh' | 'sigmoid';
const REF: Record<Op, (x: number) => number> = {
  exp: Math.exp,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};

function kernel(op: Op, n: number): T.PrimFunc {
  const A = T.buffer('A', [n], 'float32');
  const B = T.buffer('B', [n], 'float32');
  const io = T.variable('io');
  const ii = T.variable('ii');
  const i = T.add(T.mul(io, T.intImm(4)), ii);
  const body = T.bufferStore(B, T.call(op, [T.bufferLoad(A, [i])]), [i]);
  return runLoweringPasses(T.primFunc(`${op}_f32`, [A, B], T.forLoop(io, 0, n / 4, 'serial', T.forLoop(ii, 0, 4, 'vectorized', body)))).func;
}

/** f32x4 (SIMD on) and scalar (SIMD off) results of `op` on `x`, asserting they are the same bits. */
async function both(op: Op, x: Float32Array): Promise<Float32Array> {
  const vec = (await runWasm(kernel(op, x.length), [x, new Float32Array(x.length)], 'wasm -simd=1 -threads=1'))[1] as Float32Array;
  const sca = (await runWasm(kernel(op, x.length), [x, new Float32Array(x.length)], 'wasm -simd=0 -threads=1'))[1] as Float32Array;
  const vb = new Uint32Array(vec.buffer, vec.byteOffset, vec.length);
  const sb = new Uint32Array(sca.buffer, sca.byteOffset, sca.length);
  let mismatches = 0;
  let first = -1;
  for (let i = 0; i < x.length; i++) {
    if (vb[i] !== sb[i] && !(Number.isNaN(vec[i]) && Number.isNaN(sca[i]))) {
      mismatches++;
      if (first < 0) first = i;
    }
  }
  expect(mismatches, `${op}: f32x4 ${vec[first]} vs scalar ${sca[first]} at x = ${x[first]}`).toBe(0);
  return vec;
}

const bits = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0]!;

/** Every float32 in [lo, hi] stepped by `step` float32 values, so all exponents in between are hit. */
function sweep(lo: number, hi: number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.fround(lo + ((hi - lo) * i) / (count - 1));
  return out;
}

describe('float32 exp (Cody–Waite reduction + ARM optimized-routines polynomial)', () => {
  it('is within 2 ulp of Math.exp rounded to f32 over a dense sweep of [−104, 89], f32x4 = scalar', async () => {
    const x = sweep(-104, 89, 1 << 20);
    const got = await both('exp', x);
    let maxUlp = 0;
    let at = 0;
    for (let i = 0; i < x.length; i++) {
      const want = Math.fround(Math.exp(x[i]!));
      // exp > 0, so the distance between the bit patterns counts ulps (subnormal and +inf included).
      const d = Math.abs(bits(got[i]!) - bits(want));
      if (d > maxUlp) [maxUlp, at] = [d, i];
    }
    expect(maxUlp, `max ${maxUlp} ulp at x = ${x[at]}: got ${got[at]}, want ${Math.fround(Math.exp(x[at]!))}`).toBeLessThanOrEqual(2);
  });

  it('gives the special values and the overflow/underflow edges', async () => {
    const maxLog = 88.7228; // just below ln(FLT_MAX) = 88.722839: the largest finite results
    const cases: [number, number][] = [
      [0, 1], [-0, 1], [Infinity, Infinity], [-Infinity, 0], [NaN, NaN], [1e30, Infinity], [-1e30, 0],
      [89, Infinity], [88.7229, Infinity], [-104, 0], [-103.98, 0], [-1e-30, 1], [1e-30, 1],
    ];
    const x = Float32Array.from([...cases.map((c) => c[0]), maxLog, -103.97, -87.4, -88, -100, 88.72, -50]);
    const got = await both('exp', x);
    cases.forEach(([xi, want], i) => expect(got[i], `exp(${xi})`).toBe(want));
    for (let i = cases.length; i < x.length; i++) {
      const want = Math.fround(Math.exp(x[i]!));
      expect(Math.abs(bits(got[i]!) - bits(want)), `exp(${x[i]}) = ${got[i]}, want ${want}`).toBeLessThanOrEqual(2);
      expect(got[i]! > 0 && Number.isFinite(got[i]!), `exp(${x[i]}) finite, nonzero`).toBe(true);
    }
  });
});

describe('float32 sigmoid and tanh on it, against Math in double', () => {
  const x = sweep(-104, 30, 1 << 18);
  const tiny = Float32Array.from({ length: 1 << 12 }, (_, i) => (i % 2 ? -1 : 1) * 2 ** (-40 + (i * 40) / 4096));
  for (const [op, maxRel] of [['sigmoid', 2 ** -21], ['tanh', 2 ** -21]] as const) {
    it(`${op}: max relative error ≤ ${maxRel}, f32x4 = scalar`, async () => {
      for (const xs of [x, tiny]) {
        const got = await both(op, xs);
        let worst = 0;
        let at = 0;
        for (let i = 0; i < xs.length; i++) {
          const want = REF[op](xs[i]!);
          const rel = Math.abs(got[i]! - want) / Math.max(Math.abs(want), 2 ** -126);
          if (rel > worst) [worst, at] = [rel, i];
        }
        expect(worst, `${op}(${xs[at]}) = ${got[at]}, want ${REF[op](xs[at]!)}`).toBeLessThanOrEqual(maxRel);
      }
    });
  }
  it('sigmoid and tanh at ±0, ±inf, NaN', async () => {
    const x = Float32Array.of(0, -0, Infinity, -Infinity, NaN, 100, -100, 1e-6);
    // the far negative tail of sigmoid is exp(x), subnormal included, not 1/(1 + inf) = 0
    const sg = await both('sigmoid', x);
    expect(Array.from(sg.subarray(0, 4))).toEqual([0.5, 0.5, 1, 0]);
    expect(sg[4]).toBeNaN();
    expect(sg[6]).toBe(Math.fround(Math.exp(-100)));
    const th = await both('tanh', x);
    expect(Object.is(th[0], 0) && Object.is(th[1], -0)).toBe(true);
    expect(Array.from(th.subarray(2, 4))).toEqual([1, -1]);
    expect(th[4]).toBeNaN();
    expect(Array.from(th.subarray(5))).toEqual([1, -1, Math.fround(1e-6)]);
  });
});
