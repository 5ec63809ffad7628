// tests/codegen/wasm/strided_load.test.ts — strided vector loads on wasm SIMD: stride 2 and 3 (a strided
// convolution's input row) as two contiguous v128 loads and a shuffle per 4 lanes, larger strides (a weight
// column) as load32_zero + load32_lane. B[x] = A[s·x + off] for strides 1–4 and 9, 4 and 8 lanes, offsets
// that put the last lane on A's last element, float32 and int32, against plain JS; and the emitted code.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/index.js';
import * as te from '../../../schedule/index.js';
import type { DataType, PrimFunc } from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { runWasm, seededFloats, seededInts } from './wasm_harness.js';

const TARGETS = ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1'];

/** B[x] = A[s·x + off] over n outputs (A holds exactly s·(n−1) + off + 1 elements), `lanes`-wide vectors. */
function strided(n: number, s: number, off: number, lanes: number, dtype: DataType): { f: PrimFunc; size: number } {
  const size = s * (n - 1) + off + 1;
  const A = te.placeholder([size], dtype, 'A');
  const B = te.compute([n], (x) => A.at(x.mul(s).add(off)), 'B');
  const sch = te.createSchedule([B]);
  const b = sch.stage(B);
  const [, xi] = b.split(b.axis[0]!, { factor: lanes });
  b.vectorize(xi!);
  return { f: te.lower(sch, [A, B], { name: `strided_s${s}_o${off}_l${lanes}_${dtype}` }), size };
}

describe('wasm: strided vector loads', () => {
  for (const dtype of ['float32', 'int32'] as const) {
    it(`B[x] = A[s·x + off], strides 1–4 and 9, 4 and 8 lanes, ${dtype}, SIMD on and off`, async () => {
      for (const s of [1, 2, 3, 4, 9]) {
        for (const lanes of [4, 8]) {
          for (const off of [0, 1, 5]) {
            const n = 2 * lanes; // divisible: every piece is a full vector, the last one ends on A's last element
            const { f, size } = strided(n, s, off, lanes, dtype);
            const a = dtype === 'float32' ? seededFloats(size, 7 * s + off) : seededInts(size, 7 * s + off);
            const want = Array.from({ length: n }, (_, x) => a[s * x + off]!);
            for (const target of TARGETS) {
              const got = await runWasm(f, [a, dtype === 'float32' ? new Float32Array(n) : new Int32Array(n)], target);
              expect(Array.from(got[1]!), `${target} stride ${s}, offset ${off}, ${lanes} lanes`).toEqual(want);
            }
          }
        }
      }
    });
  }

  it('with a tail: 13 outputs of stride 2 in 8-lane pieces', async () => {
    const { f, size } = strided(13, 2, 1, 8, 'float32');
    const a = seededFloats(size, 3);
    const got = await runWasm(f, [a, new Float32Array(13)], TARGETS[0]);
    expect(Array.from(got[1]!)).toEqual(Array.from({ length: 13 }, (_, x) => a[2 * x + 1]!));
  });

  it('emits two v128 loads and an i8x16.shuffle per 4 lanes for strides 2 and 3, no per-lane loads', () => {
    for (const s of [2, 3]) {
      const { f } = strided(8, s, 1, 8, 'float32');
      expect(print(f)).toContain(`ramp(`);
      const wat = wasmText(f, TARGETS[0]);
      expect((wat.match(/i8x16\.shuffle/g) ?? []).length, `stride ${s}`).toBe(2);
      expect((wat.match(/v128\.load/g) ?? []).length, `stride ${s}`).toBe(4);
      expect(wat, `stride ${s}`).not.toMatch(/f32\.load/);
    }
  });

  it('keeps a local tile vectorized across its rows (stride-3 ramps) in whole v128 locals, transposed', async () => {
    // C[i, j] = Σ_k A[i, k]·B[k, j] with an 8 × 3 accumulator tile vectorized along i: the local tile
    // [8, 3] is read and written by ramp(j, 3, 8), which the promoted layout keeps as 2 v128 locals per j.
    const [M, K, N] = [16, 5, 6];
    const A = te.placeholder([M, K], 'float32', 'A');
    const B = te.placeholder([K, N], 'float32', 'B');
    const k = te.reduceAxis(K, 'k');
    const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
    const sch = te.createSchedule([C]);
    const CL = sch.cacheWrite(C, 'local');
    const c = sch.stage(C);
    const [io, ii] = c.split(c.axis[0]!, { factor: 8 });
    const [jo, ji] = c.split(c.axis[1]!, { factor: 3 });
    c.reorder(io!, jo!, ji!, ii!);
    c.unroll(ji!);
    c.vectorize(ii!);
    const cl = sch.stage(CL);
    cl.computeAt(c, jo!);
    cl.reorder(cl.reduceAxis[0]!, cl.axis[1]!, cl.axis[0]!);
    cl.unroll(cl.axis[1]!);
    cl.vectorize(cl.axis[0]!);
    const f = te.lower(sch, [A, B, C], { name: 'tile_along_rows' });
    expect(print(f)).toMatch(/C_local\[ramp\(\d+, 3, 8\)\]/);
    const wat = wasmText(f, TARGETS[0]);
    // Lane moves only for the scatter of the tile into C (3 × 8 lanes); none for the tile itself.
    expect(wat).not.toMatch(/f32x4\.replace_lane/);
    expect((wat.match(/f32x4\.extract_lane/g) ?? []).length).toBe(3 * 8);
    const a = seededFloats(M * K, 1);
    const b = seededFloats(K * N, 2);
    const want = Array.from({ length: M * N }, (_, q) => {
      const [i, j] = [Math.floor(q / N), q % N];
      let acc = 0;
      for (let kk = 0; kk < K; kk++) acc = Math.fround(acc + Math.fround(a[i * K + kk]! * b[kk * N + j]!));
      return acc;
    });
    for (const target of TARGETS) {
      const got = (await runWasm(f, [a, b, new Float32Array(M * N)], target))[2]!;
      got.forEach((g, q) => expect(Math.abs(g - want[q]!), `${target} C[${q}]`).toBeLessThan(1e-5));
    }
  });

  it('builds a gather (stride 4, 9) in place: load32_zero and 3 load32_lane per 4 lanes', () => {
    for (const s of [4, 9]) {
      const wat = wasmText(strided(8, s, 2, 8, 'float32').f, TARGETS[0]);
      expect((wat.match(/v128\.load32_zero/g) ?? []).length, `stride ${s}`).toBe(2);
      expect((wat.match(/v128\.load32_lane/g) ?? []).length, `stride ${s}`).toBe(6);
      expect(wat, `stride ${s}`).not.toMatch(/replace_lane/);
    }
  });
});
