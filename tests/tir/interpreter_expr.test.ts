// tests/tir/interpreter_expr.test.ts — property test of the interpreter's expression evaluator:
// random int32 and float32 TIR expressions (tests/reference/random_expr.ts: every binary op,
// div/mod of every flavour by constant and varying divisors, comparisons joined by and/or/not in
// selects, casts both ways, exactly rounded float math, exp/tanh/sigmoid) interpreted one element
// at a time, and after lowering with a vectorized loop of 2–10 lanes (ramps, broadcasts and
// vector ops in the interpreter), against the same expressions evaluated in plain JS.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { interpret } from '../../tir/interpreter.js';
import { runLoweringPasses } from '../../tir/pipeline.js';
import { print } from '../../tir/printer.js';
import { exprInputs, exprKernel, exprWant, firstMismatch, floatExpr, intExpr, smoothExpr, type Gen } from '../reference/random_expr.js';

const N = 40;
const BATCH = 8;

function check(gens: readonly Gen[], dtype: 'int32' | 'float32', lanes: number, tol: number, seed: number): void {
  const { x, k } = exprInputs(N, seed);
  const want = exprWant(gens, dtype, x, k);
  const raw = exprKernel(`exprs_${lanes}`, gens, dtype, N, lanes);
  const funcs = lanes === 1 ? [raw] : [raw, runLoweringPasses(raw).func];
  for (const f of funcs) {
    const y = dtype === 'int32' ? new Int32Array(want.length) : new Float32Array(want.length);
    interpret(f, [x, k, y]);
    const bad = firstMismatch(gens, y, want, N, tol);
    if (bad) throw new Error(`${lanes} lanes: ${bad}\n${print(f)}`);
  }
}

const lanesArb = fc.constantFrom(1, 4, 8, 2, 5, 10);

describe('interpreter: random expressions against plain JS (property)', () => {
  it('int32 expressions agree bit for bit, scalar and vectorized', () => {
    fc.assert(fc.property(fc.array(intExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'int32', lanes, 0, seed)),
      { numRuns: 25, seed: 1421 });
  });

  it('float32 expressions of exactly rounded ops agree bit for bit, scalar and vectorized', () => {
    fc.assert(fc.property(fc.array(floatExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'float32', lanes, 0, seed)),
      { numRuns: 15, seed: 1422 });
  });

  it('exp, tanh, sigmoid and erf agree to float precision', () => {
    fc.assert(fc.property(fc.array(smoothExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'float32', lanes, 3e-6, seed)),
      { numRuns: 8, seed: 1423 });
  });
});
