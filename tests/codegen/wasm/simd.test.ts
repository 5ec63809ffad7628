// tests/codegen/wasm/simd.test.ts — property test of wasm's vector expression code: random int32
// and float32 TIR expressions (tests/reference/random_expr.ts) in a `vectorized` loop of 2, 4, 5,
// 8 or 10 lanes (whole v128s, half of one, and v128s with lanes left over), so loads become
// vector loads, the index a ramp and every op a lane-wise one, built with SIMD on and off,
// against the same expressions evaluated per element in plain JS.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { print } from '../../../tir/printer.js';
import { exprInputs, exprKernel, exprWant, firstMismatch, floatExpr, intExpr, smoothExpr, type Gen } from '../../reference/random_expr.js';
import { runWasm } from './wasm_harness.js';

const N = 40;
const BATCH = 4;
const TARGETS = ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1'];
const lanesArb = fc.constantFrom(4, 8, 2, 5, 10);

async function check(gens: readonly Gen[], dtype: 'int32' | 'float32', lanes: number, tol: number, seed: number): Promise<void> {
  const { x, k } = exprInputs(N, seed);
  const want = exprWant(gens, dtype, x, k);
  const f = runLoweringPasses(exprKernel(`vector_exprs_${lanes}`, gens, dtype, N, lanes)).func;
  if (f.body.kind === 'For' && f.body.body.kind === 'For') throw new Error(`the ${lanes}-lane loop was not vectorized:\n${print(f)}`);
  for (const target of TARGETS) {
    const out = await runWasm(f, [x, k, dtype === 'int32' ? new Int32Array(want.length) : new Float32Array(want.length)], target);
    const bad = firstMismatch(gens, out[2]!, want, N, tol);
    if (bad) throw new Error(`${target}, ${lanes} lanes: ${bad}\n${print(f)}`);
  }
}

describe('wasm vector expressions against plain JS (property)', () => {
  it('int32 expressions agree bit for bit', async () => {
    await fc.assert(fc.asyncProperty(fc.array(intExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'int32', lanes, 0, seed)),
      { numRuns: 3, seed: 1411 });
  });

  it('float32 expressions of exactly rounded ops agree bit for bit', async () => {
    await fc.assert(fc.asyncProperty(fc.array(floatExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'float32', lanes, 0, seed)),
      { numRuns: 3, seed: 1412 });
  });

  it('exp, tanh and sigmoid on vectors agree to float precision', async () => {
    await fc.assert(fc.asyncProperty(fc.array(smoothExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'float32', lanes, 3e-6, seed)),
      { numRuns: 2, seed: 1413 });
  });
});
