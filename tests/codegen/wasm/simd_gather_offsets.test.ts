// tests/codegen/wasm/simd_gather_offsets.test.ts — emitGather (codegen/wasm/simd_gather.ts): a Ramp
// of constant stride addresses every lane from one pointer with offsets 4·s·i in the memarg (read
// from the module text at -opt=0), and an index that is not a Ramp (X[K[r]]) goes lane by lane;
// both against plain JS, SIMD on and off.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const N = 8;
const X = T.buffer('X', [64], 'float32');
const K = T.buffer('K', [N], 'int32');
const Y = T.buffer('Y', [N], 'float32');
const v = T.variable('v');
const out = T.ramp(T.mul(v, T.intImm(4)), T.intImm(1), 4);
/** Y[4v + l] = X[20v + 5l] (stride-5 Ramp) for l < 4. */
const strided = T.primFunc('gather5', [X, K, Y], T.forLoop(v, 0, N / 4, 'serial',
  T.bufferStore(Y, T.bufferLoad(X, [T.ramp(T.mul(v, T.intImm(20)), T.intImm(5), 4)]), [out])));
/** Y[4v + l] = X[K[4v + l]] (an index that is itself a vector load). */
const indirect = T.primFunc('gatherK', [X, K, Y], T.forLoop(v, 0, N / 4, 'serial',
  T.bufferStore(Y, T.bufferLoad(X, [T.bufferLoad(K, [out])]), [out])));

const x = Float32Array.from({ length: 64 }, (_, i) => i * 0.5 - 7);
const k = Int32Array.of(63, 0, 17, 17, 5, 40, 2, 33);

describe('gathers on wasm', () => {
  it('a stride-5 Ramp: one pointer, lane offsets 20, 40, 60 bytes in the memarg; values as plain JS', async () => {
    const text = wasmText(strided, 'wasm -simd=1 -threads=1 -opt=0');
    for (const off of [20, 40, 60]) expect(text).toMatch(new RegExp(`v128\\.load32_lane offset=${off} 4?\\s*\\d`));
    for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
      const y = (await runWasm(strided, [x, k, new Float32Array(N)], target))[2]!;
      expect(Array.from(y), target).toEqual(Array.from({ length: N }, (_, n) => x[20 * Math.floor(n / 4) + 5 * (n % 4)]!));
    }
  });

  it('an index loaded from memory: lane by lane; values as plain JS', async () => {
    for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
      const y = (await runWasm(indirect, [x, k, new Float32Array(N)], target))[2]!;
      expect(Array.from(y), target).toEqual(Array.from(k, (i) => x[i]!));
    }
  });
});
