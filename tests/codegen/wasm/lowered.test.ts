// tests/codegen/wasm/lowered.test.ts — real schedules lowered by te.lower, compiled to wasm
// (SIMD on/off, 1 and 2 threads) and compared with the same computation in plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../../schedule/index.js';
import type { PrimFunc } from '../../../tir/nodes.js';
import { matmulRef } from '../../reference/plain_js.js';
import { CONFIGS, maxRelErr, runWasm, seededFloats } from './wasm_harness.js';

function matmul(M: number, N: number, K: number, tiled: boolean): PrimFunc {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const k = te.reduceAxis(K, 'k');
  const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  const s = te.createSchedule([C]);
  if (tiled) {
    const CL = s.cacheWrite(C, 'local');
    const c = s.stage(C);
    const [yo, xo, yi, xi] = c.tile(c.axis[0]!, c.axis[1]!, 4, 8);
    c.parallel(yo);
    const cl = s.stage(CL);
    cl.computeAt(c, xo);
    const [ko, ki] = cl.split(cl.reduceAxis[0]!, { factor: 4 });
    cl.reorder(ko, ki, cl.axis[0]!, cl.axis[1]!);
    cl.unroll(ki);
    cl.unroll(cl.axis[0]!);
    cl.vectorize(cl.axis[1]!);
    c.unroll(yi);
    c.vectorize(xi);
  }
  return te.lower(s, [A, B, C], { name: tiled ? 'matmul_tiled' : 'matmul_naive' });
}

/** Runs `f` on every wasm config; output `out` must be within `tol` (relative) of `want`. */
async function check(f: PrimFunc, inputs: Float32Array[], out: number, tol: number, want: Float32Array): Promise<void> {
  for (const target of CONFIGS) {
    const got = await runWasm(f, inputs, target);
    expect(maxRelErr(got[out]!, want), target).toBeLessThan(tol);
  }
}

async function checkMatmul(f: PrimFunc, M: number, N: number, K: number, seed: number): Promise<void> {
  const a = seededFloats(M * K, seed);
  const b = seededFloats(K * N, seed + 1);
  await check(f, [a, b, new Float32Array(M * N)], 2, 1e-5, matmulRef(a, b, M, N, K));
}

describe('lowered schedules through wasm', () => {
  it('runs a naive matmul', async () => {
    const [M, N, K] = [9, 7, 5];
    await checkMatmul(matmul(M, N, K, false), M, N, K, 1);
  });

  it('runs a tiled, vectorized, unrolled, parallel matmul with a local accumulator on divisible and ragged shapes', async () => {
    for (const [M, N, K] of [[16, 32, 12], [18, 20, 13]] as const) {
      await checkMatmul(matmul(M, N, K, true), M, N, K, 3);
    }
  });

  it('runs an elementwise kernel split by a non-divisor with a vector tail', async () => {
    const n = 103;
    const A = te.placeholder([n], 'float32', 'A');
    const B = te.placeholder([n], 'float32', 'B');
    const C = te.compute([n], (i) => te.exp(A.at(i)).mul(B.at(i)).add(1), 'C');
    const s = te.createSchedule([C]);
    const c = s.stage(C);
    const [o, inner] = c.split(c.axis[0]!, { factor: 8 });
    c.parallel(o);
    c.vectorize(inner);
    const f = te.lower(s, [A, B, C], { name: 'ew' });
    const a = seededFloats(n, 5);
    const b = seededFloats(n, 6);
    await check(f, [a, b, new Float32Array(n)], 2, 1e-6, Float32Array.from(a, (x, i) => Math.exp(x) * b[i]! + 1));
  });

  it('runs row max and exp-sum reductions (softmax pieces)', async () => {
    const [R, L] = [5, 19];
    const X = te.placeholder([R, L], 'float32', 'X');
    const k = te.reduceAxis(L, 'k');
    const mx = te.compute([R], (r) => te.max(X.at(r, k), [k]), 'mx');
    const k2 = te.reduceAxis(L, 'k2');
    const se = te.compute([R], (r) => te.sum(te.exp(X.at(r, k2).sub(mx.at(r))), [k2]), 'se');
    const s = te.createSchedule([se]);
    s.stage(se).parallel(s.stage(se).axis[0]!);
    const f = te.lower(s, [X, se], { name: 'softmax_parts' });
    const x = seededFloats(R * L, 7, -5, 5);
    const want = Float32Array.from({ length: R }, (_, r) => {
      const row = Array.from(x.subarray(r * L, (r + 1) * L));
      const m = Math.max(...row);
      return row.reduce((acc, v) => acc + Math.exp(v - m), 0);
    });
    await check(f, [x, new Float32Array(R)], 1, 1e-6, want);
  });
});
