// tests/runtime/webgpu/pow_check.ts — compares pow results from WebGPU with C99 powf (powfRef, or onnxruntime's
// output): special values bit for bit, the rest within WGSL's error bound for pow = exp2(y·log2 x); subnormal
// results may come back flushed to a zero of the same sign (lavapipe flushes, as WGSL allows).

import { ulpIndex } from '../../codegen/wasm/mathf32_harness.js';
import { powfRef } from '../../reference/plain_js.js';

/**
 * WGSL's bound for pow, inherited from exp2(y·log2 x): log2 within 3 ulp outside [0.5, 2] and 2^-21 absolute inside,
 * scaled by |y| through exp2; exp2 within 3 + 2·|t| ulp at t = y·log2 x. In result ulps about 3 + 4|t|, plus 3|y|
 * for x in [0.5, 2].
 */
export function powTolUlps(x: number, y: number): number {
  const t = Math.abs(y * Math.log2(Math.abs(x)));
  return 3 + 4 * t + (Math.abs(x) >= 0.5 && Math.abs(x) <= 2 ? 3 * Math.abs(y) : 0);
}

export const MIN_NORMAL = 2 ** -126;
const signBit = (v: number): boolean => v < 0 || Object.is(v, -0);
export const str = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
/** Exponent or base values whose results C99 defines exactly (special cases), compared bit for bit. */
const special = (x: number, y: number): boolean => [x, y].some((v) => v === 0 || !Number.isFinite(v)) || Math.abs(x) === 1;

/** The pairs where got differs from C99 powf (`want`, or powfRef) beyond the bound; also the largest ulp distance seen on ordinary pairs. */
export function powMismatches(x: Float32Array, y: Float32Array | number, got: Float32Array, want?: Float32Array): { bad: string[]; worst: number } {
  const bad: string[] = [];
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const yi = typeof y === 'number' ? Math.fround(y) : y[i]!;
    const w = want ? want[i]! : powfRef(x[i]!, yi);
    const g = got[i]!;
    let ok: boolean;
    if (Number.isNaN(w) || Number.isNaN(g)) ok = Number.isNaN(w) && Number.isNaN(g);
    else if (special(x[i]!, yi)) ok = Object.is(g, w);
    else if (Math.abs(w) < MIN_NORMAL && g === 0) ok = signBit(g) === signBit(w);  // a subnormal or zero result, flushed: sign kept
    else {
      const d = Math.abs(ulpIndex(g) - ulpIndex(w));
      ok = Math.sign(g) === Math.sign(w) && d <= powTolUlps(x[i]!, yi);
      if (ok) worst = Math.max(worst, d);
    }
    if (!ok) bad.push(`pow(${str(x[i]!)}, ${str(yi)}) = ${str(g)}, want ${str(w)}`);
  }
  return { bad, worst };
}

/** Special bases and exponents: zeros, infinities, NaN, ±1, subnormals, odd and even integers (2^24 − 1 the largest odd
 * float32, 2^24 + 2 even), non-integers, exponents that overflow or underflow every base but ±1. */
export const POW_X = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2, -2, 0.5, -0.5, 1e-40, -1e-40, 3e38, -3e38, 1.5, -1.5, 10, -10, MIN_NORMAL, -3];
export const POW_Y = [0, -0, 1, -1, 2, -2, 3, -3, 0.5, -0.5, 2.5, -2.5, Infinity, -Infinity, NaN, 1e10, -1e10, 2 ** 24 - 1, -(2 ** 24 - 1),
  2 ** 24 + 2, 200, -200, 127, -149, Math.fround(1 / 3), 7, -7];
