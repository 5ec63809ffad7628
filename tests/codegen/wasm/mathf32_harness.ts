// tests/codegen/wasm/mathf32_harness.ts — runs one float32 math intrinsic elementwise through wasm with
// SIMD on (the f32x4 helper) and off (the scalar f32 helper), asserts the two give the same bits, and
// measures errors in ulps against a double-precision reference rounded to float32.

import { expect } from 'vitest';
import * as T from '../../../tir/nodes.js';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { runWasm } from './wasm_harness.js';

/** Y[i] = op(X[i]) or op(X[i], P[i]), the inner loop of 4 vectorized. */
function kernel(op: T.IntrinsicName, n: number, binary: boolean): T.PrimFunc {
  const A = T.buffer('A', [n], 'float32');
  const P = T.buffer('P', [n], 'float32');
  const B = T.buffer('B', [n], 'float32');
  const [io, ii] = [T.variable('io'), T.variable('ii')];
  const i = T.add(T.mul(io, T.intImm(4)), ii);
  const args = binary ? [T.bufferLoad(A, [i]), T.bufferLoad(P, [i])] : [T.bufferLoad(A, [i])];
  const body = T.bufferStore(B, T.call(op, args), [i]);
  return runLoweringPasses(T.primFunc(`${op}_f32`, [A, P, B], T.forLoop(io, 0, n / 4, 'serial', T.forLoop(ii, 0, 4, 'vectorized', body)))).func;
}

export const f32bits = (v: number): number => new Int32Array(Float32Array.of(v).buffer)[0]!;

/** A float32's position on the number line counted in ulps (−0 and +0 both 0; ±inf one past ±FLT_MAX). */
export function ulpIndex(v: number): number {
  const b = f32bits(v);
  return b < 0 ? -(b & 0x7fffffff) : b;
}

/** f32x4 (SIMD on) and scalar (SIMD off) results of `op`, asserting they are the same bits (NaN: both NaN). */
export async function bothForms(op: T.IntrinsicName, x: Float32Array, p?: Float32Array): Promise<Float32Array> {
  // Pad to a multiple of 4: the kernel's loop runs whole vectors.
  const n = Math.ceil(x.length / 4) * 4;
  const pad = (a: Float32Array): Float32Array => (a.length === n ? a : Float32Array.from({ length: n }, (_, i) => a[i] ?? 1));
  const inputs = [pad(x), pad(p ?? new Float32Array(n)), new Float32Array(n)];
  const vec = (await runWasm(kernel(op, n, p !== undefined), inputs, 'wasm -simd=1 -threads=1'))[2] as Float32Array;
  const sca = (await runWasm(kernel(op, n, p !== undefined), inputs, 'wasm -simd=0 -threads=1'))[2] as Float32Array;
  let first = -1;
  let mismatches = 0;
  for (let i = 0; i < x.length; i++) {
    if (f32bits(vec[i]!) !== f32bits(sca[i]!) && !(Number.isNaN(vec[i]) && Number.isNaN(sca[i]))) {
      mismatches++;
      if (first < 0) first = i;
    }
  }
  const at = p ? `(${x[first]}, ${p[first]})` : `(${x[first]})`;
  expect(mismatches, `${op}${at}: f32x4 ${vec[first]} vs scalar ${sca[first]}`).toBe(0);
  return vec.subarray(0, x.length);
}

/** The largest ulp distance of got[i] from fround(ref(i)) where the reference is not NaN, and where. */
export function maxUlp(got: Float32Array, ref: (i: number) => number): { ulp: number; at: number } {
  let ulp = 0;
  let at = 0;
  for (let i = 0; i < got.length; i++) {
    const want = Math.fround(ref(i));
    if (Number.isNaN(want)) continue;
    const d = Number.isNaN(got[i]!) ? Infinity : Math.abs(ulpIndex(got[i]!) - ulpIndex(want));
    if (d > ulp) [ulp, at] = [d, i];
  }
  return { ulp, at };
}

/** `count` float32 spread geometrically over [2^lo, 2^hi] (every binade hit evenly). */
export function binades(lo: number, hi: number, count: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => Math.fround(2 ** (lo + ((hi - lo) * i) / (count - 1))));
}

/** `count` float32 evenly over [lo, hi]. */
export function evenly(lo: number, hi: number, count: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => Math.fround(lo + ((hi - lo) * i) / (count - 1)));
}

/** Expects each got[i] to equal want[i] bit for bit (the sign of zero counts; any NaN matches NaN). */
export function expectExact(what: string, xs: readonly string[], got: Float32Array, want: readonly number[]): void {
  want.forEach((w, i) => {
    if (Number.isNaN(w)) expect(got[i], `${what}${xs[i]}`).toBeNaN();
    else expect(Object.is(got[i], w), `${what}${xs[i]} = ${got[i]}, want ${w}`).toBe(true);
  });
}

/** erf in double by A&S 7.1.6 (no cancellation; about 2x² + 40 terms), ±1 beyond 6 (erfc(6) < 2^-55). */
export function erfRef(x: number): number {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  const x2 = 2 * ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; term > 1e-18 * sum; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
}
