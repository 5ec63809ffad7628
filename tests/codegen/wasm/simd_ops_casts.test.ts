// tests/codegen/wasm/simd_ops_casts.test.ts — vector casts between float32, int32 and bool
// (codegen/wasm/simd_ops.ts v128Cast, which no test reached: line coverage, session 11) on 8-lane
// vectors, SIMD on and off, against plain JS: float → int truncates toward zero, int → float
// rounds to float32, anything → bool is "≠ 0" (so −0 and 0 are false, NaN is true), bool → int/float
// is 0 or 1; with SIMD each cast is the named v128 instruction; an unsupported vector cast is refused.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const N = 16;
const LANES = 8;
const v = T.variable('v');
const r = T.ramp(T.mul(v, T.intImm(LANES)), T.intImm(1), LANES);
const F = T.buffer('F', [N], 'float32');
const I = T.buffer('I', [N], 'int32');
const [FI, IF, FBI, IBF, IBI, FBF] = [
  T.buffer('FI', [N], 'int32'), T.buffer('IF', [N], 'float32'), T.buffer('FBI', [N], 'int32'),
  T.buffer('IBF', [N], 'float32'), T.buffer('IBI', [N], 'int32'), T.buffer('FBF', [N], 'float32'),
];
const f = T.bufferLoad(F, [r]);
const i = T.bufferLoad(I, [r]);
const vec = (e: string): T.DataType => `${e}x${LANES}` as T.DataType;

/** Six outputs, one per cast path: f→i, i→f, f→bool→i, i→bool→f, i→bool→i, f→bool→f. */
const casts = T.primFunc('casts', [F, I, FI, IF, FBI, IBF, IBI, FBF], T.forLoop(v, 0, N / LANES, 'serial', T.seq([
  T.bufferStore(FI, T.cast(vec('int32'), f), [r]),
  T.bufferStore(IF, T.cast(vec('float32'), i), [r]),
  T.bufferStore(FBI, T.cast(vec('int32'), T.cast(vec('bool'), f)), [r]),
  T.bufferStore(IBF, T.cast(vec('float32'), T.cast(vec('bool'), i)), [r]),
  T.bufferStore(IBI, T.cast(vec('int32'), T.cast(vec('bool'), i)), [r]),
  T.bufferStore(FBF, T.cast(vec('float32'), T.cast(vec('bool'), f)), [r]),
])));

const FX = Float32Array.of(2.75, -2.75, 0.5, -0.5, 0, -0, 1e6 + 0.5, -123456.789, NaN, 7, -7, 1e-30, 3, -1, 65536.9, -2147483520);
const IX = Int32Array.of(0, 1, -1, 16777217, -16777219, 2147483647, -2147483648, 5, 0, 12345678, -3, 0, 33554435, 2, 0, -100);

describe('vector casts on wasm against plain JS', () => {
  // Plain-JS casts (float → int32 is truncation toward zero; NaN excluded below, where it gives 0 on saturating wasm).
  const want = {
    FI: Array.from(FX, (x) => (Number.isNaN(x) ? 0 : Math.trunc(x) | 0)),
    IF: Array.from(IX, (x) => Math.fround(x)),
    FBI: Array.from(FX, (x) => (x !== 0 ? 1 : 0)),
    IBF: Array.from(IX, (x) => (x !== 0 ? 1 : 0)),
    IBI: Array.from(IX, (x) => (x !== 0 ? 1 : 0)),
    FBF: Array.from(FX, (x) => (x !== 0 ? 1 : 0)),
  };

  for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
    it(`f→i, i→f and through bool, ${target}`, async () => {
      const outs = await runWasm(casts, [FX, IX, new Int32Array(N), new Float32Array(N), new Int32Array(N), new Float32Array(N), new Int32Array(N), new Float32Array(N)], target);
      const [fi, iF, fbi, ibf, ibi, fbf] = outs.slice(2).map((a) => Array.from(a));
      expect(fi).toEqual(want.FI);
      expect(iF).toEqual(want.IF);
      expect(fbi).toEqual(want.FBI);
      expect(ibf).toEqual(want.IBF);
      expect(ibi).toEqual(want.IBI);
      expect(fbf).toEqual(want.FBF);
    });
  }

  it('with SIMD each cast is the v128 instruction for it (module text, -opt=0)', () => {
    const one = (out: T.Buffer, e: T.PrimExpr): string => wasmText(
      T.primFunc('c', [F, I, out], T.forLoop(v, 0, N / LANES, 'serial', T.bufferStore(out, e, [r]))), 'wasm -simd=1 -threads=1 -opt=0');
    expect(one(FI, T.cast(vec('int32'), f))).toContain('i32x4.trunc_sat_f32x4_s');
    expect(one(IF, T.cast(vec('float32'), i))).toContain('f32x4.convert_i32x4_s');
    const fb = one(FBF, T.cast(vec('float32'), T.cast(vec('bool'), f)));
    expect(fb).toContain('f32x4.ne');
    expect(fb).toContain('f32x4.convert_i32x4_s');
    const ib = one(IBI, T.cast(vec('int32'), T.cast(vec('bool'), i)));
    expect(ib).toContain('i32x4.ne');
    // bool → int32 keeps the low bit of the all-ones mask: an AND with splat(1).
    expect(ib).toContain('v128.and');
    expect(ib).not.toContain('f32x4');
  });
});
