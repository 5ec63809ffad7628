// tests/codegen/wasm/simd.test.ts — property test of wasm's vector expression code: random int32
// and float32 TIR expressions (tests/reference/random_expr.ts) in a `vectorized` loop of 2, 4, 5,
// 8 or 10 lanes (whole v128s, half of one, and v128s with lanes left over), so loads become
// vector loads, the index a ramp and every op a lane-wise one, built with SIMD on and off,
// against the same expressions evaluated per element in plain JS.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { print } from '../../../tir/printer.js';
import * as T from '../../../tir/nodes.js';
import { CMP_JS, exprInputs, exprKernel, exprWant, firstMismatch, FLOAT_JS, floatExpr, INT_JS, intExpr, smoothExpr, type Gen } from '../../reference/random_expr.js';
import { roundEvenRef } from '../../reference/plain_js.js';
import { runWasm } from './wasm_harness.js';

const N = 40;
const BATCH = 4;
const TARGETS = ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1'];
const lanesArb = fc.constantFrom(4, 8, 4, 8, 2, 5, 10);
const f32 = Math.fround;

// Every operator once, on operands that differ per lane and per element (x, k, i), so a swapped,
// wrong or missing vector instruction changes some lane: the deterministic core of this file.
const xk: Gen = { tir: (l) => T.add(l.x, T.mul(T.cast('float32', l.k), T.floatImm(0.125))), js: (_i, x, k) => f32(x + f32(f32(k) * 0.125)), text: 'x + k/8' };
const kx: Gen = { tir: (l) => T.sub(T.cast('int32', T.mul(l.x, T.floatImm(4))), l.i), js: (i, x) => ((Math.trunc(f32(x * 4)) | 0) - i) | 0, text: 'int(4x) - i' };
const FLOAT_OPS: Gen[] = [
  ...(['add', 'sub', 'mul', 'div', 'min', 'max'] as const).map((op): Gen => ({
    tir: (l) => T.binary(op, xk.tir(l), op === 'div' ? T.add(T.call('abs', [l.x]), T.floatImm(0.5)) : l.x),
    js: (i, x, k) => FLOAT_JS[op](xk.js(i, x, k), op === 'div' ? f32(Math.abs(x) + 0.5) : x), text: `${op}(x + k/8, x)`,
  })),
  ...(['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const).map((op): Gen => ({
    tir: (l) => T.select(T.compare(op, l.x, T.floatImm(0.5)), xk.tir(l), T.sub(l.x, T.floatImm(3))),
    js: (i, x, k) => (CMP_JS[op](x, 0.5) ? xk.js(i, x, k) : f32(x - 3)), text: `select(x ${op} 0.5, …)`,
  })),
  ...(['abs', 'floor', 'ceil', 'trunc', 'round', 'sqrt'] as const).map((fn): Gen => ({
    tir: (l) => T.call(fn, [fn === 'sqrt' ? T.call('abs', [xk.tir(l)]) : xk.tir(l)]),
    js: (i, x, k) => { const v = xk.js(i, x, k); return fn === 'sqrt' ? f32(Math.sqrt(Math.abs(v))) : fn === 'round' ? roundEvenRef(v) : Math[fn](v); },
    text: `${fn}(x + k/8)`,
  })),
  { tir: (l) => T.cast('float32', kx.tir(l)), js: (i, x, k) => f32(kx.js(i, x, k)), text: 'float(int(4x) - i)' },
  { tir: (l) => T.select(T.and(T.lt(l.x, T.floatImm(1)), T.not(T.eq(l.k, T.intImm(0)))), l.x, T.floatImm(-9)), js: (_i, x, k) => (x < 1 && k !== 0 ? x : -9), text: 'and/not' },
  { tir: (l) => T.select(T.or(T.gt(l.x, T.floatImm(1)), T.lt(l.k, T.intImm(-3))), l.x, T.floatImm(-9)), js: (_i, x, k) => (x > 1 || k < -3 ? x : -9), text: 'or' },
];
const INT_OPS: Gen[] = [
  ...(['add', 'sub', 'mul', 'min', 'max'] as const).map((op): Gen => ({
    tir: (l) => T.binary(op, kx.tir(l), l.k), js: (i, x, k) => INT_JS[op](kx.js(i, x, k), k), text: `${op}(int(4x) - i, k)`,
  })),
  ...(['div', 'mod', 'floordiv', 'floormod'] as const).flatMap((op): Gen[] => [3, 4, -4].map((d): Gen => ({
    tir: (l) => T.binary(op, kx.tir(l), T.intImm(d)), js: (i, x, k) => INT_JS[op](kx.js(i, x, k), d), text: `${op}(int(4x) - i, ${d})`,
  }))),
  ...(['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const).map((op): Gen => ({
    tir: (l) => T.select(T.compare(op, l.k, kx.tir(l)), l.k, T.sub(T.intImm(100), l.i)),
    js: (i, x, k) => (CMP_JS[op](k, kx.js(i, x, k)) ? k : 100 - i), text: `select(k ${op} int(4x) - i, …)`,
  })),
  { tir: (l) => T.cast('int32', T.mul(xk.tir(l), T.floatImm(3))), js: (i, x, k) => Math.trunc(f32(xk.js(i, x, k) * 3)) | 0, text: 'int(3(x + k/8))' },
  { tir: (l) => T.cast('int32', T.ge(l.k, T.intImm(2))), js: (_i, _x, k) => (k >= 2 ? 1 : 0), text: 'int(k >= 2)' },
  { tir: (l) => T.call('abs', [l.k]), js: (_i, _x, k) => Math.abs(k), text: 'abs(k)' },
];

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

describe('wasm vector ops against plain JS, every op in 4 and 8 lanes', () => {
  for (const lanes of [4, 8]) {
    it(`float32 ops, ${lanes} lanes`, () => check(FLOAT_OPS, 'float32', lanes, 0, 7));
    it(`int32 ops, ${lanes} lanes`, () => check(INT_OPS, 'int32', lanes, 0, 8));
  }
});

describe('wasm vector expressions against plain JS (property)', () => {
  it('int32 expressions agree bit for bit', async () => {
    await fc.assert(fc.asyncProperty(fc.array(intExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'int32', lanes, 0, seed)),
      { numRuns: 3, seed: 1411 });
  });

  it('float32 expressions of exactly rounded ops agree bit for bit', async () => {
    await fc.assert(fc.asyncProperty(fc.array(floatExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'float32', lanes, 0, seed)),
      { numRuns: 2, seed: 1412 });
  });

  it('exp, tanh, sigmoid and erf on vectors agree to float precision', async () => {
    await fc.assert(fc.asyncProperty(fc.array(smoothExpr, { minLength: BATCH, maxLength: BATCH }), lanesArb, fc.nat(1000), (gens, lanes, seed) => check(gens, 'float32', lanes, 3e-6, seed)),
      { numRuns: 2, seed: 1413 });
  });
});
