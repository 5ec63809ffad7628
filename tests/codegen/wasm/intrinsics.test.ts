// tests/codegen/wasm/intrinsics.test.ts — the math intrinsics compiled into wasm (exp, log,
// tanh, sigmoid, erf, pow, sin, cos, rsqrt, round) against f64 references over wide ranges.

import binaryen from 'binaryen';
import { describe, expect, it } from 'vitest';
import { codegenOptions } from '../../../codegen/wasm/compile_wasm.js';
import { ensureHelper } from '../../../codegen/wasm/intrinsics.js';
import * as t from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

function grid(lo: number, hi: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

function logGrid(lo: number, hi: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (n - 1)));
}

/** erf by its Maclaurin series (|x| ≤ 3) or the asymptotic continued fraction, in f64. */
function erfRef(x: number): number {
  const ax = Math.abs(x);
  if (ax > 3) {
    let cf = 0;
    for (let k = 60; k >= 1; k--) cf = (k / 2) / (ax + cf);
    return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + cf));
  }
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Builds Y[i] = op(X[i]) (or op(X[i], P[i])), vectorized by 4 so the per-lane path is used too. */
async function runOp(op: t.IntrinsicName, xs: Float32Array, ps?: Float32Array, target = 'wasm -threads=1'): Promise<Float32Array> {
  const n = xs.length;
  const X = t.buffer('X', [n], 'float32');
  const P = t.buffer('P', [n], 'float32');
  const Y = t.buffer('Y', [n], 'float32');
  const v = t.variable('v');
  const r = t.ramp(t.mul(v, t.intImm(4)), t.intImm(1), 4);
  const args = ps ? [t.bufferLoad(X, [r]), t.bufferLoad(P, [r])] : [t.bufferLoad(X, [r])];
  const body = t.forLoop(v, 0, n / 4, 'serial', t.bufferStore(Y, t.call(op, args), [r]));
  const f = t.primFunc(`op_${op}`, [X, P, Y], body);
  const out = await runWasm(f, [xs, ps ?? new Float32Array(n), new Float32Array(n)], target);
  return out[2] as Float32Array;
}

function worst(got: Float32Array, xs: Float32Array, ref: (x: number, i: number) => number, absFloor: number): number {
  let w = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = Math.fround(ref(xs[i]!, i));
    const g = got[i]!;
    if (!Number.isFinite(r)) {
      if (g !== r) return Infinity;
      continue;
    }
    w = Math.max(w, Math.abs(g - r) / Math.max(Math.abs(r), absFloor));
  }
  return w;
}

describe('wasm math intrinsics', () => {
  const N = 4000;
  it('exp is accurate from underflow to overflow', async () => {
    const xs = grid(-110, 100, N);
    // float32 exp (codegen/wasm/expf32.ts): ≤ 2 ulp, i.e. ≤ 2^-22 relative
    expect(worst(await runOp('exp', xs), xs, Math.exp, 1e-37)).toBeLessThan(2 ** -22);
  });
  it('log is accurate over 60 decades and handles 0 and negatives', async () => {
    const xs = logGrid(1e-30, 1e30, N);
    // float32 log (logf32.ts): ≤ 3 ulp, i.e. < 3·2^-23 relative
    expect(worst(await runOp('log', xs), xs, Math.log, 1e-6)).toBeLessThan(3 * 2 ** -23);
    const special = await runOp('log', Float32Array.of(0, -1, Infinity, NaN));
    expect(Array.from(special)).toEqual([-Infinity, NaN, Infinity, NaN]);
  });
  it('tanh and sigmoid saturate correctly and are accurate near zero', async () => {
    const xs = grid(-30, 30, N);
    // float32 algorithms (expf32.ts): measured ≤ 2.5e-7 relative (sigmoid), 1.8e-7 (tanh); bound 2^-21
    expect(worst(await runOp('tanh', xs), xs, Math.tanh, 1e-30)).toBeLessThan(2 ** -21);
    expect(worst(await runOp('sigmoid', xs), xs, (x) => 1 / (1 + Math.exp(-x)), 1e-30)).toBeLessThan(2 ** -21);
    const tiny = grid(-1e-3, 1e-3, 400);
    expect(worst(await runOp('tanh', tiny), tiny, Math.tanh, 1e-30)).toBeLessThan(2 ** -21);
  });
  it('the f32x4 forms of exp, sigmoid, tanh, log and erf give the same bits as the scalar forms', async () => {
    const xs = grid(-120, 120, 1000);
    for (const op of ['exp', 'sigmoid', 'tanh', 'log', 'erf'] as const) {
      const vec = await runOp(op, xs);
      const scalar = await runOp(op, xs, undefined, 'wasm -simd=0 -threads=1');
      expect(Array.from(vec), op).toEqual(Array.from(scalar)); // toEqual counts NaN equal to NaN
    }
  });

  it('erf is within float32 resolution of the series reference', async () => {
    const xs = grid(-7, 7, N);
    expect(worst(await runOp('erf', xs), xs, erfRef, 1e-3)).toBeLessThan(3e-7);
  });
  it('pow covers positive bases, negative bases with integer exponents, and zero', async () => {
    const xs = logGrid(1e-3, 1e3, N);
    const ps = grid(-6, 6, N);
    expect(worst(await runOp('pow', xs, ps), xs, (x, i) => Math.pow(x, ps[i]!), 1e-30)).toBeLessThan(1e-6);
    const got = await runOp('pow', Float32Array.of(-2, -2, -2, 0, 0, 5, 1, 7), Float32Array.of(3, 2, 0.5, 2, -1, 0, 9, 1));
    expect(Array.from(got)).toEqual([-8, 4, NaN, 0, Infinity, 1, 1, 7]);
  });
  it('sin and cos are accurate over many periods', async () => {
    const xs = grid(-200, 200, N);
    expect(worst(await runOp('sin', xs), xs, Math.sin, 1e-3)).toBeLessThan(1e-6);
    expect(worst(await runOp('cos', xs), xs, Math.cos, 1e-3)).toBeLessThan(1e-6);
  });
  it('native ops (rsqrt, round half to even, floor) match with SIMD on and off', async () => {
    const xs = Float32Array.of(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.7, -3.7);
    for (const target of ['wasm -threads=1', 'wasm -simd=0 -threads=1']) {
      expect(Array.from(await runOp('round', xs, undefined, target))).toEqual([-2, -2, -0, 0, 2, 2, 4, -4]);
      expect(Array.from(await runOp('floor', xs, undefined, target))).toEqual([-3, -2, -1, 0, 1, 2, 3, -4]);
    }
    const pos = logGrid(1e-6, 1e6, 400);
    expect(worst(await runOp('rsqrt', pos), pos, (x) => 1 / Math.sqrt(x), 1e-30)).toBeLessThan(2e-7);
  });
});

describe('ensureHelper', () => {
  it('adds a helper with its dependencies once, and names an unknown helper', () => {
    const m = new binaryen.Module();
    try {
      const mod = { m, opts: codegenOptions('wasm'), outlined: [], outlinedByLoop: new Map(), helpers: new Set<string>() };
      ensureHelper(mod, 'tt_pow64');
      expect([...mod.helpers].sort()).toEqual(['tt_exp64', 'tt_log64', 'tt_pow64']);
      ensureHelper(mod, 'tt_tanh64');
      expect(mod.helpers.size).toBe(4);
      expect(m.getNumFunctions()).toBe(4);
      expect(() => ensureHelper(mod, 'tt_cbrt64')).toThrow(/^wasm codegen: internal: unknown helper tt_cbrt64$/);
    } finally {
      m.dispose();
    }
  });
});
