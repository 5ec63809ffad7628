// tests/codegen/wasm/simd_lazy_reuse.test.ts — two vector paths of codegen/wasm/simd.ts that the
// seed-1102 sample's tests for that file never took (session 12): a lazy tir.if_then_else on vectors
// with one condition for all lanes (row padding: the rows not taken must not be loaded) and a gather load used twice in one body (the
// second use reads the first's locals from the load cache). Against plain JS, SIMD on and off, 4 and
// 8 lanes; and in the text, a gather repeated in one body is loaded once.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/index.js';
import * as te from '../../../schedule/index.js';
import type { PrimFunc } from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { runWasm, seededFloats } from './wasm_harness.js';

const TARGETS = ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1'];
const f32 = Math.fround;

function vectorized(B: te.Tensor, args: te.Tensor[], lanes: number, name: string): PrimFunc {
  const sch = te.createSchedule([B]);
  const b = sch.stage(B);
  const [, xi] = b.split(b.axis[0]!, { factor: lanes });
  b.vectorize(xi!);
  return te.lower(sch, args, { name });
}

/**
 * Row padding: B[i, j] = A[i − 1, j] for 1 ≤ i ≤ m, else −1 (A has m rows: the padding rows' loads would
 * be out of bounds). j is vectorized, so the condition is one for all lanes and the if_then_else stays lazy.
 */
function padded(m: number, w: number, lanes: number): PrimFunc {
  const A = te.placeholder([m, w], 'float32', 'A');
  const B = te.compute([m + 2, w], (i, j) => te.ifThenElse(i.ge(1).and(i.le(m)), A.at(i.sub(1), j), -1), 'B');
  const sch = te.createSchedule([B]);
  const b = sch.stage(B);
  const [, ji] = b.split(b.axis[1]!, { factor: lanes });
  b.vectorize(ji!);
  return te.lower(sch, [A, B], { name: `pad_rows_${m}_${w}_${lanes}` });
}

/** B[x] = A[5x + 1] · A[5x + 1] + A[5x + 1] (one stride-5 gather, three uses). */
function gatherTwice(n: number, lanes: number): PrimFunc {
  const A = te.placeholder([5 * n + 1], 'float32', 'A');
  const B = te.compute([n], (x) => A.at(x.mul(5).add(1)).mul(A.at(x.mul(5).add(1))).add(A.at(x.mul(5).add(1))), 'B');
  return vectorized(B, [A, B], lanes, `gather_twice_${n}_${lanes}`);
}

describe('wasm SIMD: lazy if_then_else on vectors, a gather reused', () => {
  it('row padding by if_then_else: the inner rows copy A, the padding rows −1 (4 and 8 lanes, 2 and 3 rows)', async () => {
    for (const lanes of [4, 8]) {
      for (const m of [2, 3]) {
        const w = 2 * lanes;
        const a = seededFloats(m * w, m + lanes);
        const want = Array.from({ length: (m + 2) * w }, (_, k) => {
          const [i, j] = [Math.floor(k / w), k % w];
          return i >= 1 && i <= m ? a[(i - 1) * w + j]! : -1;
        });
        const f = padded(m, w, lanes);
        expect(print(f)).toContain('tir.if_then_else');
        for (const target of TARGETS) {
          const got = await runWasm(f, [a, new Float32Array((m + 2) * w)], target);
          expect(Array.from(got[1]!), `${target}, ${lanes} lanes, m = ${m}`).toEqual(want);
        }
      }
    }
  });

  it('a gather used three times: the values (plain JS) and one set of lane loads in the text', async () => {
    for (const lanes of [4, 8]) {
      const n = 2 * lanes;
      const a = seededFloats(5 * n + 1, lanes);
      const want = Array.from({ length: n }, (_, x) => {
        const v = a[5 * x + 1]!;
        return f32(f32(v * v) + v);
      });
      const f = gatherTwice(n, lanes);
      for (const target of TARGETS) {
        const got = await runWasm(f, [a, new Float32Array(n)], target);
        expect(Array.from(got[1]!), `${target}, ${lanes} lanes`).toEqual(want);
      }
      // Per 4 lanes one v128.load32_zero and three v128.load32_lane, however often the value is used.
      const wat = wasmText(f, TARGETS[0]);
      expect((wat.match(/v128\.load32_zero/g) ?? []).length, `${lanes} lanes`).toBe(lanes / 4);
      expect((wat.match(/v128\.load32_lane/g) ?? []).length, `${lanes} lanes`).toBe(3 * (lanes / 4));
    }
  });
});
