// tests/codegen/wasm/intrinsics_int_abs.test.ts — integer intrinsics of codegen/wasm/intrinsics.ts:
// abs of int32 (a select on the sign, its argument evaluated once: a load with a side-effect-free
// index, and a sum that must not be computed twice differently), scalar and in 8-lane vectors
// (int vectors go lane by lane), against plain JS `Math.abs(x) | 0` (so abs(−2³¹) = −2³¹, wasm's
// wrap-around) on every wasm config; and tir.warp_shuffle refused on wasm with what to use instead.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm } from './wasm_harness.js';

const N = 16;
const I = T.buffer('I', [N], 'int32');
const O = T.buffer('O', [N], 'int32');
const v = T.variable('v');
const k = Int32Array.of(0, -1, 1, -7, 7, 2147483647, -2147483648, -2147483647, 123456, -123456, 5, -5, 99, -100, 3, -3);

describe('int32 abs on wasm (plain JS)', () => {
  it('scalar: O[v] = abs(I[v]) + abs(I[v] − 3)', async () => {
    const f = T.primFunc('iabs', [I, O], T.forLoop(v, 0, N, 'serial',
      T.bufferStore(O, T.add(T.call('abs', [T.bufferLoad(I, [v])]), T.call('abs', [T.sub(T.bufferLoad(I, [v]), T.intImm(3))])), [v])));
    const want = Array.from(k, (a) => ((Math.abs(a) | 0) + (Math.abs((a - 3) | 0) | 0)) | 0);
    for (const target of CONFIGS) {
      expect(Array.from((await runWasm(f, [k.slice(), new Int32Array(N)], target))[1]!), target).toEqual(want);
    }
  });

  it('8-lane vectors: O[8v + l] = abs(I[8v + l] · 2)', async () => {
    const r = T.ramp(T.mul(v, T.intImm(8)), T.intImm(1), 8);
    const f = T.primFunc('vabs', [I, O], T.forLoop(v, 0, N / 8, 'serial',
      T.bufferStore(O, T.call('abs', [T.mul(T.bufferLoad(I, [r]), T.broadcast(T.intImm(2), 8))]), [r])));
    const want = Array.from(k, (a) => Math.abs(Math.imul(a, 2)) | 0);
    for (const target of CONFIGS) {
      expect(Array.from((await runWasm(f, [k.slice(), new Int32Array(N)], target))[1]!), target).toEqual(want);
    }
  });

  it('tir.warp_shuffle is refused on wasm, naming the scopes to use', () => {
    const X = T.buffer('X', [N], 'float32');
    const Y = T.buffer('Y', [N], 'float32');
    const f = T.primFunc('shfl', [X, Y], T.forLoop(v, 0, N, 'serial',
      T.bufferStore(Y, T.call('tir.warp_shuffle', [T.bufferLoad(X, [v]), T.intImm(0)]), [v])));
    expect(() => wasmText(f, 'wasm -simd=0 -threads=1')).toThrow(/wasm codegen: tir.warp_shuffle \(subgroup memory\) exists on webgpu only; use scope 'local' or 'shared' for wasm/);
  });
});
