// tests/codegen/wasm/lowered.test.ts — real schedules lowered by te.lower, compiled to wasm
// (SIMD on/off, 1 and 2 threads) and compared with tir.interpret on the same lowered IR.

import { describe, expect, it } from 'vitest';
import * as te from '../../../schedule/index.js';
import type { PrimFunc } from '../../../tir/nodes.js';
import { CONFIGS, maxRelErr, reference, runWasm, seededFloats } from './wasm_harness.js';

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

async function check(f: PrimFunc, inputs: Float32Array[], out: number, tol: number): Promise<void> {
  const ref = reference(f, inputs);
  for (const target of CONFIGS) {
    const got = await runWasm(f, inputs, target);
    expect(maxRelErr(got[out]!, ref[out]!), target).toBeLessThan(tol);
  }
}

describe('lowered schedules through wasm', () => {
  it('runs a naive matmul like the interpreter', async () => {
    const [M, N, K] = [9, 7, 5];
    await check(matmul(M, N, K, false), [seededFloats(M * K, 1), seededFloats(K * N, 2), new Float32Array(M * N)], 2, 1e-5);
  });

  it('runs a tiled, vectorized, unrolled, parallel matmul with a local accumulator on divisible and ragged shapes', async () => {
    for (const [M, N, K] of [[16, 32, 12], [18, 20, 13]] as const) {
      await check(matmul(M, N, K, true), [seededFloats(M * K, 3), seededFloats(K * N, 4), new Float32Array(M * N)], 2, 1e-5);
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
    await check(f, [seededFloats(n, 5), seededFloats(n, 6), new Float32Array(n)], 2, 1e-6);
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
    await check(f, [seededFloats(R * L, 7, -5, 5), new Float32Array(R)], 1, 1e-6);
  });
});
