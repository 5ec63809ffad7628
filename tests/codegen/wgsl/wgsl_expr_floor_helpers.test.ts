// tests/codegen/wgsl/wgsl_expr_floor_helpers.test.ts — floordiv/floormod of int32 by a divisor that is
// not a known power of two print as the helpers tt_floordiv, tt_floormod_vec3, … (wgsl_expr.ts
// floorHelper: WGSL's / and % truncate, so a nonzero remainder whose sign differs from the divisor's is
// corrected, TVM's floordiv/floormod). Checked on the text — the helper each kernel needs, emitted
// verbatim, as written here by hand: scalars with scalar literals and `&&`, vectors with typed zeros and
// the component-wise `&` (the session-11 sample's survivors wgsl_expr.ts:83-84 printed the scalar
// helpers with `i32(0i)` and `&`, valid WGSL of the same value) — and on lavapipe for 1, 2, 3 and 4
// lanes (3 lanes is not drawn by the expression property test) against plain JS on every sign pair,
// ±1 divisors and the int32 limits.

import { afterAll, describe, expect, it } from 'vitest';
import { codegenWGSL } from '../../../codegen/wgsl/codegen_wgsl.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as T from '../../../tir/nodes.js';
import { hostArray } from '../../runtime/webgpu/helpers.js';

afterAll(releaseWebGPU);

const tx = T.variable('tx');
const MIN = -2147483648;
const MAX = 2147483647;
// Dividend/divisor pairs: each sign pair, exact and inexact, ±1, the limits (never MIN / −1: WGSL defines
// it as MIN, TIR leaves it undefined).
const PAIRS: readonly (readonly [number, number])[] = [
  [7, 3], [-7, 3], [7, -3], [-7, -3], [6, 3], [-6, 3], [6, -3], [-6, -3], [0, 5], [0, -5],
  [1, 7], [-1, 7], [1, -7], [-1, -7], [5, 1], [-5, 1], [5, -1], [-5, -1], [MAX, 3], [MIN, 3],
  [MAX, -3], [MIN, -3], [5, MIN], [-5, MIN], [5, MAX], [-5, MAX], [MIN, MAX], [MAX, MIN],
  [100, 9], [-100, 9], [100, -9], [-100, -9],
];

/** Q[i] = floordiv(A[i], B[i]), R[i] = floormod(A[i], B[i]); thread tx does elements lanes·tx … lanes·tx + lanes − 1. */
function kernel(lanes: number, threads: number): T.PrimFunc {
  const n = lanes * threads;
  const [A, B, Q, R] = ['A', 'B', 'Q', 'R'].map((s) => T.buffer(s, [n], 'int32')) as [T.Buffer, T.Buffer, T.Buffer, T.Buffer];
  const at = lanes === 1 ? tx : T.ramp(T.mul(tx, T.intImm(lanes)), T.intImm(1), lanes);
  const a = T.bufferLoad(A, [at]);
  const b = T.bufferLoad(B, [at]);
  return T.primFunc(`floor_${lanes}`, [A, B, Q, R], T.forLoop(tx, 0, threads, 'threadBinding',
    T.seq([T.bufferStore(Q, T.floordiv(a, b), [at]), T.bufferStore(R, T.floormod(a, b), [at])]), { threadTag: 'threadIdx.x' }));
}

const SCALAR = [
  'fn tt_floordiv(a: i32, b: i32) -> i32 {\n  let r = a % b;\n  return select(a / b, a / b - 1i, (r != 0i) && ((r < 0i) != (b < 0i)));\n}',
  'fn tt_floormod(a: i32, b: i32) -> i32 {\n  let r = a % b;\n  return select(r, r + b, (r != 0i) && ((r < 0i) != (b < 0i)));\n}',
];
const vector = (n: number): string[] => {
  const t = `vec${n}<i32>`;
  const fix = `(r != ${t}(0i)) & ((r < ${t}(0i)) != (b < ${t}(0i)))`;
  return [
    `fn tt_floordiv_vec${n}(a: ${t}, b: ${t}) -> ${t} {\n  let r = a % b;\n  return select(a / b, a / b - ${t}(1i), ${fix});\n}`,
    `fn tt_floormod_vec${n}(a: ${t}, b: ${t}) -> ${t} {\n  let r = a % b;\n  return select(r, r + b, ${fix});\n}`,
  ];
};

describe('floordiv/floormod helpers in WGSL', () => {
  it('emits the scalar and vector helpers as written by hand, and calls them', () => {
    const scalar = codegenWGSL(kernel(1, 4)).code;
    for (const h of SCALAR) expect(scalar).toContain(h);
    expect(scalar).toContain('Q[tx] = tt_floordiv(A[tx], B[tx]);');
    expect(scalar).not.toMatch(/i32\(0i\)|\) & \(/);
    for (const n of [2, 3, 4]) {
      const code = codegenWGSL(kernel(n, 4)).code;
      for (const h of vector(n)) expect(code).toContain(h);
      expect(code).toMatch(new RegExp(`tt_floormod_vec${n}\\(`));
      expect(code).not.toContain('&&');
    }
  });

  for (const lanes of [1, 2, 3, 4]) {
    it(`on lavapipe, ${lanes} lane(s): floor division and modulo of every pair equal plain JS`, async () => {
      const threads = Math.ceil(PAIRS.length / lanes);
      const n = lanes * threads;
      // Padding past the pairs: 1 / 1.
      const a = hostArray([n], 'int32', (k) => PAIRS[k]?.[0] ?? 1);
      const b = hostArray([n], 'int32', (k) => PAIRS[k]?.[1] ?? 1);
      const q = hostArray([n], 'int32', () => -99);
      const r = hostArray([n], 'int32', () => -99);
      const mod = await buildWebGPU(kernel(lanes, threads), 'webgpu');
      try {
        await mod.run(a, b, q, r);
      } finally {
        mod.dispose();
      }
      const av = Array.from(a.data as Int32Array);
      const bv = Array.from(b.data as Int32Array);
      // Math.floor(x / y) is exact for int32 (|x| < 2⁵³); x − y·q is exact in doubles (< 2³³); `+ 0` turns −0 into 0.
      const wantQ = av.map((x, k) => Math.floor(x / bv[k]!) + 0);
      expect(Array.from(q.data as Int32Array)).toEqual(wantQ);
      expect(Array.from(r.data as Int32Array)).toEqual(av.map((x, k) => x - bv[k]! * wantQ[k]! + 0));
    }, 120_000);
  }
});
