// tests/codegen/wasm/expr_emitter.test.ts — property test of wasm's scalar expression code:
// random int32 and float32 TIR expressions (every binary op, div/mod of every flavour by constant
// and varying divisors, comparisons joined by and/or/not inside selects, casts both ways, exactly
// rounded float math, exp/tanh/sigmoid) built for wasm with SIMD on and off, one element at a
// time, against the same expressions evaluated in plain JS (tests/reference/random_expr.ts).

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { print } from '../../../tir/printer.js';
import { exprInputs, exprKernel, exprWant, firstMismatch, floatExpr, intExpr, smoothExpr, type Gen } from '../../reference/random_expr.js';
import { runWasm } from './wasm_harness.js';

const N = 40;
const BATCH = 8;
const TARGETS = ['wasm -simd=0 -threads=1', 'wasm -simd=1 -threads=1'];

async function check(gens: readonly Gen[], dtype: 'int32' | 'float32', tol: number, seed: number): Promise<void> {
  const { x, k } = exprInputs(N, seed);
  const want = exprWant(gens, dtype, x, k);
  const f = exprKernel('scalar_exprs', gens, dtype, N, 1);
  for (const target of TARGETS) {
    const out = await runWasm(f, [x, k, dtype === 'int32' ? new Int32Array(want.length) : new Float32Array(want.length)], target);
    const bad = firstMismatch(gens, out[2]!, want, N, tol);
    if (bad) throw new Error(`${target}: ${bad}\n${print(f)}`);
  }
}

describe('wasm scalar expressions against plain JS (property)', () => {
  it('int32 expressions agree bit for bit', async () => {
    await fc.assert(fc.asyncProperty(fc.array(intExpr, { minLength: BATCH, maxLength: BATCH }), fc.nat(1000), (gens, seed) => check(gens, 'int32', 0, seed)),
      { numRuns: 6, seed: 1401 });
  });

  it('float32 expressions of exactly rounded ops agree bit for bit', async () => {
    await fc.assert(fc.asyncProperty(fc.array(floatExpr, { minLength: BATCH, maxLength: BATCH }), fc.nat(1000), (gens, seed) => check(gens, 'float32', 0, seed)),
      { numRuns: 6, seed: 1402 });
  });

  it('exp, tanh, sigmoid and erf agree to float precision', async () => {
    await fc.assert(fc.asyncProperty(fc.array(smoothExpr, { minLength: BATCH, maxLength: BATCH }), fc.nat(1000), (gens, seed) => check(gens, 'float32', 3e-6, seed)),
      { numRuns: 3, seed: 1403 });
  });
});
