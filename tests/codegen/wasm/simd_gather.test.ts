// tests/codegen/wasm/simd_gather.test.ts — vector loads that are not contiguous (codegen/wasm/
// simd_gather.ts): B[i] = A[s·i + o] and B[i] = A[g(i)] vectorized in 4, 8 or 12 lanes, for
// strides −2…7 (stride 2 and 3 take the two-loads-and-a-shuffle path, the others the lane-by-lane
// gather; stride 0 a broadcast), offsets that put the first element anywhere, int32 and float32,
// and index maps (floordiv / floormod / select) that are no ramp at all; built with SIMD on and
// off, against the same reads in plain JS.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as T from '../../../tir/nodes.js';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { print } from '../../../tir/printer.js';
import { runWasm, seededFloats, seededInts } from './wasm_harness.js';

const TARGETS = ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1'];
const SIZE = 400; // A's length: big enough for every stride and offset below

/** B[io·L + ii] = A[index(io·L + ii)] + B's own value·2 (so a wrong lane shows), vectorized over ii. */
function gatherKernel(dtype: 'int32' | 'float32', n: number, lanes: number, index: (i: T.PrimExpr) => T.PrimExpr): T.PrimFunc {
  const A = T.buffer('A', [SIZE], dtype);
  const B = T.buffer('B', [n], dtype);
  const io = T.variable('io');
  const ii = T.variable('ii');
  const i = T.add(T.mul(io, T.intImm(lanes)), ii);
  const two = dtype === 'int32' ? T.intImm(2) : T.floatImm(2);
  const body = T.bufferStore(B, T.add(T.bufferLoad(A, [index(i)]), T.mul(T.bufferLoad(B, [i]), two)), [i]);
  const f = T.primFunc(`gather_${lanes}`, [A, B], T.forLoop(io, 0, n / lanes, 'serial', T.forLoop(ii, 0, lanes, 'vectorized', body)));
  return runLoweringPasses(f).func;
}

async function check(dtype: 'int32' | 'float32', n: number, lanes: number, index: (i: T.PrimExpr) => T.PrimExpr, js: (i: number) => number): Promise<void> {
  const f = gatherKernel(dtype, n, lanes, index);
  const a = dtype === 'int32' ? seededInts(SIZE, 3, -1000, 1000) : seededFloats(SIZE, 3);
  const b = dtype === 'int32' ? seededInts(n, 4, -1000, 1000) : seededFloats(n, 4);
  const want = Array.from(b, (v, i) => (dtype === 'int32' ? (a[js(i)]! + v * 2) | 0 : Math.fround(a[js(i)]! + Math.fround(v * 2))));
  for (const target of TARGETS) {
    const out = await runWasm(f, [a, dtype === 'int32' ? Int32Array.from(b) : Float32Array.from(b)], target);
    const got = Array.from(out[1]!);
    if (got.some((g, i) => g !== want[i])) {
      const at = got.findIndex((g, i) => g !== want[i]);
      throw new Error(`${target}, ${dtype}, ${lanes} lanes: B[${at}] = ${got[at]}, plain JS ${want[at]} (A[${js(at)}])\n${print(f)}`);
    }
  }
}

describe('wasm gathers against plain JS', () => {
  it('strided ramps: every stride from −2 to 7, offsets anywhere (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(2, 3, 2, 3, -2, -1, 0, 1, 4, 5, 7), fc.constantFrom(4, 8, 12), fc.integer({ min: 0, max: 40 }), fc.constantFrom('int32' as const, 'float32' as const),
      async (s, lanes, o, dtype) => {
        const n = lanes * 3;
        const off = s < 0 ? o + n * -s : o;
        await check(dtype, n, lanes, (i) => T.add(T.mul(i, T.intImm(s)), T.intImm(off)), (i) => s * i + off);
      }), { numRuns: 14, seed: 1481 });
  });

  it('index maps that are no ramp (floordiv, floormod, select)', async () => {
    const maps: [string, (i: T.PrimExpr) => T.PrimExpr, (i: number) => number][] = [
      ['i % 3 * 5 + i // 3', (i) => T.add(T.mul(T.floormod(i, T.intImm(3)), T.intImm(5)), T.floordiv(i, T.intImm(3))), (i) => (i % 3) * 5 + Math.floor(i / 3)],
      ['i // 2', (i) => T.floordiv(i, T.intImm(2)), (i) => Math.floor(i / 2)],
      ['select(i < 5, 30 - i, i * 2)', (i) => T.select(T.lt(i, T.intImm(5)), T.sub(T.intImm(30), i), T.mul(i, T.intImm(2))), (i) => (i < 5 ? 30 - i : i * 2)],
    ];
    for (const [, tirIx, jsIx] of maps) {
      for (const lanes of [4, 8]) {
        await check('float32', 24, lanes, tirIx, jsIx);
        await check('int32', 24, lanes, tirIx, jsIx);
      }
    }
  });
});
