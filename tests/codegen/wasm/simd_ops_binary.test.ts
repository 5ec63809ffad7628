// tests/codegen/wasm/simd_ops_binary.test.ts — which binary operators get one v128 instruction
// (codegen/wasm/simd_ops.ts v128Binary / v128BinaryOp; survivors of the session-11 sample): on float32
// add, sub, mul, div, min, max; on int32 add, sub, mul, min_s, max_s — each checked in the module text
// with SIMD on (the instruction, no lane extracted or replaced), and int32 division (no i32x4 form)
// computed lane by lane; every one of them on 8 lanes, SIMD on and off, against plain JS.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const N = 16;
const LANES = 8;
const f32 = Math.fround;
type Elem = 'float32' | 'int32';

function kernel(op: T.BinaryOpName, elem: Elem): T.PrimFunc {
  const [A, B, Y] = ['A', 'B', 'Y'].map((s) => T.buffer(s, [N], elem)) as [T.Buffer, T.Buffer, T.Buffer];
  const v = T.variable('v');
  const r = T.ramp(T.mul(v, T.intImm(LANES)), T.intImm(1), LANES);
  return T.primFunc(`bin_${op}_${elem}`, [A, B, Y], T.forLoop(v, 0, N / LANES, 'serial',
    T.bufferStore(Y, T.binary(op, T.bufferLoad(A, [r]), T.bufferLoad(B, [r])), [r])));
}

const FA = Float32Array.from({ length: N }, (_, i) => f32((i % 3 ? 1 : -1) * (0.75 + 0.5 * i)));
const FB = Float32Array.from({ length: N }, (_, i) => f32(((i * 5) % 7) - 3.25));
const IA = Int32Array.from({ length: N }, (_, i) => (i % 2 ? 1 : -1) * (7 + 13 * i));
const IB = Int32Array.from({ length: N }, (_, i) => ((i * 3) % 11) - 5 || 4);

const JS: Record<string, (a: number, b: number, elem: Elem) => number> = {
  add: (a, b, e) => (e === 'float32' ? f32(a + b) : (a + b) | 0),
  sub: (a, b, e) => (e === 'float32' ? f32(a - b) : (a - b) | 0),
  mul: (a, b, e) => (e === 'float32' ? f32(a * b) : Math.imul(a, b)),
  div: (a, b, e) => (e === 'float32' ? f32(a / b) : Math.trunc(a / b) | 0),
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
};
const V128: Record<Elem, Record<string, string | null>> = {
  float32: { add: 'f32x4.add', sub: 'f32x4.sub', mul: 'f32x4.mul', div: 'f32x4.div', min: 'f32x4.min', max: 'f32x4.max' },
  int32: { add: 'i32x4.add', sub: 'i32x4.sub', mul: 'i32x4.mul', div: null, min: 'i32x4.min_s', max: 'i32x4.max_s' },
};
const LANE_BY_LANE = /(f32x4|i32x4)\.(replace|extract)_lane/;

describe('v128 binary operators', () => {
  for (const elem of ['float32', 'int32'] as const) {
    it(`${elem}: one v128 instruction each with SIMD (module text); int32 div lane by lane`, () => {
      for (const [op, insn] of Object.entries(V128[elem])) {
        const t = wasmText(kernel(op as T.BinaryOpName, elem), 'wasm -simd=1 -threads=1 -opt=0');
        if (insn === null) {
          expect(t, op).toMatch(LANE_BY_LANE);
          continue;
        }
        expect(t, op).toContain(insn);
        expect(t, op).not.toMatch(LANE_BY_LANE);
      }
    });

    it(`${elem}: values on 8 lanes, SIMD on and off, equal plain JS`, async () => {
      const [a, b] = elem === 'float32' ? [FA, FB] : [IA, IB];
      for (const op of Object.keys(V128[elem])) {
        const want = Array.from(a, (x, i) => JS[op]!(x, b[i]!, elem));
        for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
          const y = (await runWasm(kernel(op as T.BinaryOpName, elem), [a, b, elem === 'int32' ? new Int32Array(N) : new Float32Array(N)], target))[2]!;
          expect(Array.from(y), `${op} ${target}`).toEqual(want);
        }
      }
    });
  }
});
