// tests/codegen/wasm/simd_ops_compare.test.ts — the six comparisons on 8-lane int32 and float32
// vectors (codegen/wasm/simd_ops.ts v128Compare: i32x4.lt_s … / f32x4.lt …), each selecting between
// its operands, SIMD on and off, against plain JS: equal, smaller, larger, the int32 limits, ±0, NaN.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const N = 16;
const LANES = 8;
const OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
type Op = (typeof OPS)[number];
const JS: Record<Op, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
};

/** Y[r] = select(A[r] op B[r], A[r], B[r]) over N elements in 8-lane vectors. */
function kernel(op: Op, dtype: 'int32' | 'float32'): T.PrimFunc {
  const [A, B, Y] = ['A', 'B', 'Y'].map((s) => T.buffer(s, [N], dtype));
  const v = T.variable('v');
  const r = T.ramp(T.mul(v, T.intImm(LANES)), T.intImm(1), LANES);
  const a = T.bufferLoad(A!, [r]);
  const b = T.bufferLoad(B!, [r]);
  return T.primFunc(`cmp_${op}_${dtype}`, [A!, B!, Y!], T.forLoop(v, 0, N / LANES, 'serial', T.bufferStore(Y!, T.select(T.compare(op, a, b), a, b), [r])));
}

const INT_A = Int32Array.of(1, 2, 3, -5, 2147483647, -2147483648, 0, -1, 7, 7, -7, 100, -2147483648, 2147483647, 0, 5);
const INT_B = Int32Array.of(1, 3, 2, -5, -2147483648, 2147483647, -1, 0, 7, 8, -8, -100, -2147483647, 2147483646, 0, -5);
const F_A = Float32Array.of(1, 2, 3, -0, 0, NaN, 1, -1.5, 1e30, -1e30, 0.25, 7, Infinity, -Infinity, 2, NaN);
const F_B = Float32Array.of(1, 3, 2, 0, -0, 1, NaN, -1.5, 1e29, -1e29, 0.5, 7, 1, -1, 2, NaN);

describe('vector comparisons on wasm against plain JS', () => {
  for (const [dtype, A, B] of [['int32', INT_A, INT_B], ['float32', F_A, F_B]] as const) {
    it(`all six on ${dtype} (SIMD on and off)`, async () => {
      for (const op of OPS) {
        // −0 is written '-0' so that toEqual tells the selected operand's zero from the other's.
        const want = Array.from(A, (a, i) => (JS[op](a, B[i]!) ? a : B[i]!));
        for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
          const y = (await runWasm(kernel(op, dtype), [A, B, dtype === 'int32' ? new Int32Array(N) : new Float32Array(N)], target))[2]!;
          expect(Array.from(y).map((x) => (Object.is(x, -0) ? '-0' : x)), `${op} ${target}`).toEqual(want.map((x) => (Object.is(x, -0) ? '-0' : x)));
        }
      }
    });
  }

  it('with SIMD, each comparison is one v128 instruction per 4 lanes (module text)', () => {
    for (const op of OPS) {
      const ti = wasmText(kernel(op, 'int32'), 'wasm -simd=1 -threads=1 -opt=0');
      const si = op === 'eq' || op === 'ne' ? '' : '_s';
      expect(ti.match(new RegExp(`i32x4\\.${op}${si}\\b`, 'g'))?.length, `${op} int32`).toBe(2);
      const tf = wasmText(kernel(op, 'float32'), 'wasm -simd=1 -threads=1 -opt=0');
      expect(tf.match(new RegExp(`f32x4\\.${op}\\b`, 'g'))?.length, `${op} float32`).toBe(2);
    }
  });
});
