// tests/codegen/wasm/func_context.test.ts — the wasm emitter's bookkeeping (codegen/wasm/
// func_context.ts): slotOf's transposed layout of a promoted buffer is a permutation that keeps
// stride-s vectors whole, homeStride, vecMode, storeBytes and scalarWasmType with their refusals;
// and end to end, a local buffer written by stride-4 vector stores and read element by element
// (promoted to v128 locals in the transposed layout with SIMD on, scalar locals with it off)
// against plain JS.

import binaryen from 'binaryen';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { homeStride, scalarWasmType, slotOf, storeBytes, vecMode, type BufferHome } from '../../../codegen/wasm/func_context.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const v128 = (locals: number, stride?: number): BufferHome => ({ kind: 'v128Locals', locals: Array.from({ length: locals }, (_, i) => i), ...(stride !== undefined ? { stride } : {}) });

describe('slotOf and homeStride', () => {
  it('identity in memory, in scalar locals and for stride ≤ 1', () => {
    for (const home of [{ kind: 'memory', baseLocal: 0 } as BufferHome, { kind: 'scalarLocals', locals: [0, 1, 2] } as BufferHome, v128(2), v128(2, 1), v128(2, 0)]) {
      for (let e = 0; e < 8; e++) expect(slotOf(home, e)).toBe(e);
    }
    expect(homeStride({ kind: 'memory', baseLocal: 3 })).toBe(1);
    expect(homeStride({ kind: 'scalarLocals', locals: [] })).toBe(1);
    expect(homeStride(v128(2))).toBe(1);
    expect(homeStride(v128(4, 4))).toBe(4);
  });

  it('with a stride, stores the buffer transposed: a permutation putting each stride-s vector in consecutive slots (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 4 }), (s, rowsOf4) => {
      const size = s * 4 * rowsOf4; // what promotedStride allows: size / s a multiple of 4
      const home = v128(size / 4, s);
      const slots = Array.from({ length: size }, (_, e) => slotOf(home, e));
      expect([...slots].sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, i) => i));
      const rows = size / s;
      for (let e = 0; e < size; e++) expect(slots[e]).toBe((e % s) * rows + Math.floor(e / s));
      // the vector e0, e0 + s, e0 + 2s, e0 + 3s (e0 < s, aligned) lies in one v128 local
      for (let e0 = 0; e0 < s; e0++) {
        for (let q = 0; q + 3 < rows; q += 4) {
          const lanes = [0, 1, 2, 3].map((l) => slots[e0 + (q + l) * s]!);
          expect(lanes).toEqual([lanes[0]!, lanes[0]! + 1, lanes[0]! + 2, lanes[0]! + 3]);
          expect(lanes[0]! % 4).toBe(0);
        }
      }
    }), { numRuns: 60, seed: 1501 });
  });
});

describe('dtype helpers', () => {
  it('vecMode: v128 for SIMD and a multiple of 4 lanes of a 32-bit type or bool, lanes otherwise', () => {
    const on = { simd: true } as never, off = { simd: false } as never;
    expect(vecMode('float32x4', on)).toBe('v128');
    expect(vecMode('int32x8', on)).toBe('v128');
    expect(vecMode('boolx4', on)).toBe('v128');
    expect(vecMode('float32x4', off)).toBe('lanes');
    expect(vecMode('float32x6', on)).toBe('lanes');
    expect(vecMode('float32x2', on)).toBe('lanes');
    expect(vecMode('float16x4', on)).toBe('lanes');
  });

  it('storeBytes and scalarWasmType, refusing what the codegen does not support', () => {
    expect(storeBytes('float32')).toBe(4);
    expect(storeBytes('int32x4')).toBe(4);
    expect(storeBytes('bool')).toBe(1);
    expect(() => storeBytes('float16')).toThrow('wasm codegen: buffers of float16 are not supported (float32, int32 and bool are)');
    expect(scalarWasmType('float32', 'x')).toBe(binaryen.f32);
    expect(scalarWasmType('int32', 'x')).toBe(binaryen.i32);
    expect(scalarWasmType('bool', 'x')).toBe(binaryen.i32);
    expect(() => scalarWasmType('float16', 'variable h')).toThrow('wasm codegen: variable h: dtype float16 is not supported (float32, int32 and bool are)');
  });
});

describe('a promoted buffer in the transposed layout, against plain JS', () => {
  it('stride-4 vector stores, scalar reads', async () => {
    // alloc S local [16]: for j (unrolled 4): S[ramp(j, 4, 4)] = X[ramp(4j, 1, 4)] + j
    //                      for r (unrolled 16): Y[r] = S[r]·2 + S[15 − r]
    const X = T.buffer('X', [16], 'float32');
    const Y = T.buffer('Y', [16], 'float32');
    const S = T.buffer('S', [16], 'float32', 'local');
    const j = T.variable('j'), r = T.variable('r');
    const fill = T.forLoop(j, 0, 4, 'unrolled', T.bufferStore(S,
      T.add(T.bufferLoad(X, [T.ramp(T.mul(j, T.intImm(4)), T.intImm(1), 4)]), T.broadcast(T.cast('float32', j), 4)),
      [T.ramp(j, T.intImm(4), 4)]));
    const read = T.forLoop(r, 0, 16, 'unrolled', T.bufferStore(Y,
      T.add(T.mul(T.bufferLoad(S, [r]), T.floatImm(2)), T.bufferLoad(S, [T.sub(T.intImm(15), r)])), [r]));
    const f = T.primFunc('transposed', [X, Y], T.allocate(S, T.seq([fill, read])));
    const x = Float32Array.from({ length: 16 }, (_, i) => i * 0.75 - 5);
    const s = new Float32Array(16);
    for (let jj = 0; jj < 4; jj++) for (let l = 0; l < 4; l++) s[jj + 4 * l] = Math.fround(x[4 * jj + l]! + jj);
    const want = Float32Array.from(s, (v, i) => Math.fround(Math.fround(v * 2) + s[15 - i]!));
    for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
      const out = await runWasm(f, [x, new Float32Array(16)], target);
      expect(Array.from(out[1]!), target).toEqual(Array.from(want));
    }
  });
});
