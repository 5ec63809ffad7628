// tests/codegen/wgsl/wgsl_expr.test.ts — property test of WGSL expression printing
// (codegen/wgsl/wgsl_expr.ts): random int32 and float32 TIR expressions (tests/reference/
// random_expr.ts: every binary op, div/mod of every flavour by constant and varying divisors,
// comparisons joined by and/or/not in selects, casts both ways, exactly rounded float math,
// exp/tanh/sigmoid/erf), one element per thread and as vectors of 2 and 4 lanes, compiled to WGSL and
// run on the WebGPU adapter (Mesa lavapipe here), against the same expressions in plain JS.

import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { print } from '../../../tir/printer.js';
import { exprInputs, exprKernel, exprWant, firstMismatch, floatExpr, intExpr, smoothExpr, type Gen } from '../../reference/random_expr.js';

afterAll(releaseWebGPU);

const N = 40;
const BATCH = 8;


async function check(gens: readonly Gen[], dtype: 'int32' | 'float32', lanes: number, tol: number, seed: number): Promise<void> {
  const { x, k } = exprInputs(N, seed);
  const want = exprWant(gens, dtype, x, k);
  const f = runLoweringPasses(exprKernel(`wgsl_exprs_${lanes}`, gens, dtype, N, lanes, 'threadIdx.x')).func;
  const y = dtype === 'int32' ? new Int32Array(want.length) : new Float32Array(want.length);
  const arr = (data: Float32Array | Int32Array, dt: 'int32' | 'float32') => ({ shape: [data.length], dtype: dt, size: data.length, data });
  const mod = await buildWebGPU(f, 'webgpu');
  try {
    await mod.run(arr(x, 'float32'), arr(k, 'int32'), arr(y, dtype));
  } finally {
    mod.dispose();
  }
  const bad = firstMismatch(gens, y, want, N, tol);
  if (bad) throw new Error(`WebGPU, ${lanes} lanes: ${bad}\n${print(f)}`);
}

const lanesArb = fc.constantFrom(1, 4, 2);

describe('WGSL expressions on WebGPU against plain JS (property)', () => {
  it('int32 expressions agree bit for bit', async () => {
    await fc.assert(fc.asyncProperty(fc.array(intExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'int32', lanes, 0, seed)),
      { numRuns: 10, seed: 1461 });
  });

  it('float32 expressions of exactly rounded ops agree bit for bit', async () => {
    await fc.assert(fc.asyncProperty(fc.array(floatExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'float32', lanes, 0, seed)),
      { numRuns: 10, seed: 1462 });
  });

  it('exp, tanh, sigmoid and erf agree to float precision', async () => {
    await fc.assert(fc.asyncProperty(fc.array(smoothExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'float32', lanes, 2e-5, seed)),
      { numRuns: 4, seed: 1463 });
  });
});
