// tests/codegen/wasm/simd_ops.test.ts — every float intrinsic on 8-lane vectors (two v128s) built
// for wasm with SIMD on and off, against plain JS; and, from the module's text, which of them get
// one f32x4 instruction (sqrt, abs, floor, ceil, trunc, nearest; rsqrt as 1/sqrt; fma as mul+add;
// exp/tanh/sigmoid/log/erf/pow through the f32x4 helpers) and which are computed lane by lane (sin,
// cos: WebAssembly SIMD has no instruction for them).

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { erfRef, roundEvenRef, sigmoidRef } from '../../reference/plain_js.js';
import { runWasm } from './wasm_harness.js';

const N = 16;
const LANES = 8;
const f32 = Math.fround;
const X = T.buffer('X', [N], 'float32');
const Z = T.buffer('Z', [N], 'float32');
const W = T.buffer('W', [N], 'float32');
const Y = T.buffer('Y', [N], 'float32');
const o = T.variable('o');

type Op = T.IntrinsicName;
/** Inputs chosen inside each function's domain: x ∈ [0.3, 4.05] (log, sqrt, rsqrt, pow base), z ∈ [−2.2, 2.3], w signed. */
const x = Float32Array.from({ length: N }, (_, i) => f32(0.3 + 0.25 * i));
const z = Float32Array.from({ length: N }, (_, i) => f32(-2.2 + 0.3 * i));
const w = Float32Array.from({ length: N }, (_, i) => f32((i % 2 ? 1 : -1) * (0.5 + 0.125 * i)));

/** Plain-JS value of lane i, and the relative tolerance (0: bit for bit). */
const REF: Record<Exclude<Op, 'tir.storage_sync' | 'tir.if_then_else' | 'tir.warp_shuffle'>, { js: (i: number) => number; tol: number }> = {
  sqrt: { js: (i) => f32(Math.sqrt(x[i]!)), tol: 0 },
  rsqrt: { js: (i) => f32(1 / f32(Math.sqrt(x[i]!))), tol: 1e-6 },
  abs: { js: (i) => Math.abs(z[i]!), tol: 0 },
  floor: { js: (i) => Math.floor(z[i]!), tol: 0 },
  ceil: { js: (i) => Math.ceil(z[i]!), tol: 0 },
  trunc: { js: (i) => Math.trunc(z[i]!), tol: 0 },
  round: { js: (i) => roundEvenRef(f32(z[i]! * 2)), tol: 0 }, // 2z hits the halves: −4.4 … 4.6, −1.0, 0.2 …
  fma: { js: (i) => f32(f32(x[i]! * z[i]!) + w[i]!), tol: 0 },
  exp: { js: (i) => Math.exp(z[i]!), tol: 3e-6 },
  tanh: { js: (i) => Math.tanh(z[i]!), tol: 3e-6 },
  sigmoid: { js: (i) => sigmoidRef(z[i]!), tol: 3e-6 },
  log: { js: (i) => Math.log(x[i]!), tol: 3e-6 },
  pow: { js: (i) => Math.pow(x[i]!, z[i]!), tol: 3e-6 },
  erf: { js: (i) => erfRef(z[i]!), tol: 3e-6 },
  sin: { js: (i) => Math.sin(z[i]!), tol: 3e-6 },
  cos: { js: (i) => Math.cos(z[i]!), tol: 3e-6 },
};
const OPS = Object.keys(REF) as (keyof typeof REF)[];

/** for o in 0..2: Y[ramp(8o, 1, 8)] = op(args at ramp(8o, 1, 8)). */
function kernel(op: keyof typeof REF): T.PrimFunc {
  const r = (): T.PrimExpr => T.ramp(T.mul(o, T.intImm(LANES)), T.intImm(1), LANES);
  const ld = (b: T.Buffer): T.PrimExpr => T.bufferLoad(b, [r()]);
  const args = op === 'fma' ? [ld(X), ld(Z), ld(W)]
    : op === 'pow' ? [ld(X), ld(Z)]
    : op === 'round' ? [T.mul(ld(Z), T.broadcast(T.floatImm(2), LANES))]
    : ['sqrt', 'rsqrt', 'log'].includes(op) ? [ld(X)] : [ld(Z)];
  return T.primFunc(`vec_${op}`, [X, Z, W, Y], T.forLoop(o, 0, N / LANES, 'serial', T.bufferStore(Y, T.call(op, args), [r()])));
}

describe('vector intrinsics on wasm against plain JS', () => {
  for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
    it(`every float intrinsic over 8 lanes (${target})`, async () => {
      for (const op of OPS) {
        const got = (await runWasm(kernel(op), [x, z, w, new Float32Array(N)], target))[3]!;
        for (let i = 0; i < N; i++) {
          const want = REF[op].js(i);
          const err = Math.abs(got[i]! - want) / Math.max(1, Math.abs(want));
          expect(err, `${op} lane ${i}: got ${got[i]}, plain JS ${want}`).toBeLessThanOrEqual(REF[op].tol);
        }
      }
    });
  }
});

describe('which intrinsics are one f32x4 operation (module text, SIMD on)', () => {
  /** A vector rebuilt from scalars (each lane computed on its own, then put back). */
  const LANE_BY_LANE = /f32x4\.(replace|extract)_lane/;
  const text = (op: keyof typeof REF): string => wasmText(kernel(op), 'wasm -simd=1 -threads=1');
  const ONE_INSTRUCTION: [keyof typeof REF, string][] = [
    ['sqrt', 'f32x4.sqrt'], ['rsqrt', 'f32x4.sqrt'], ['abs', 'f32x4.abs'], ['floor', 'f32x4.floor'],
    ['ceil', 'f32x4.ceil'], ['trunc', 'f32x4.trunc'], ['round', 'f32x4.nearest'], ['fma', 'f32x4.mul'],
  ];

  it('sqrt, rsqrt, abs, floor, ceil, trunc, round and fma: the f32x4 instruction, no lane extracted', () => {
    for (const [op, insn] of ONE_INSTRUCTION) {
      const t = text(op);
      expect(t, op).toContain(insn);
      expect(t, op).not.toMatch(LANE_BY_LANE);
    }
    expect(text('rsqrt')).toContain('f32x4.div');
    expect(text('fma')).toContain('f32x4.add');
  });

  it('exp, tanh, sigmoid, log, erf: the f32x4 helper; pow: f32x4 with an f64x2 core; sin, cos: lane by lane', () => {
    for (const op of ['exp', 'tanh', 'sigmoid', 'log', 'erf'] as const) {
      // the float32 helpers (mathf32.ts) work on all four lanes at once: no f64 widening, never lane by lane
      expect(text(op), op).not.toContain('f64x2.promote_low_f32x4');
      expect(text(op), op).not.toMatch(LANE_BY_LANE);
    }
    for (const op of ['exp', 'tanh', 'sigmoid', 'erf'] as const) expect(text(op), op).toContain('f32x4.nearest');
    expect(text('log')).toContain('f32x4.convert_i32x4_s');
    // pow's core runs in f64 (powf32.ts): each f32x4 half widened to f64x2, never split into lanes
    expect(text('pow')).toContain('f64x2.promote_low_f32x4');
    expect(text('pow')).not.toMatch(LANE_BY_LANE);
    for (const op of ['sin', 'cos'] as const) expect(text(op), op).toMatch(LANE_BY_LANE);
  });
});
