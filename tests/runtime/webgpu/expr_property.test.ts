// tests/runtime/webgpu/expr_property.test.ts — property test: random int32/float32 TIR expressions
// (division and modulo of every flavour, min/max, selects, casts, math) printed as WGSL and run
// on the adapter give what the same expression gives evaluated directly in plain JS (TIR's
// semantics: int32 wraparound, truncating div/mod, floor div/mod, float32 rounding per op).

import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { sigmoidRef } from '../../reference/plain_js.js';
import { INT_JS } from '../../reference/random_expr.js';
import { hostArray } from './helpers.js';

afterAll(releaseWebGPU);

const N = 64;
const BATCH = 6;
const f32 = Math.fround;

/** A random expression over the thread index `i` and the float input `x`: as TIR, and in plain JS. */
interface Gen {
  readonly tir: (i: T.PrimExpr, x: T.PrimExpr) => T.PrimExpr;
  readonly js: (i: number, x: number) => number;
}

const CMP_JS: Record<string, (a: number, b: number) => boolean> = { lt: (a, b) => a < b, le: (a, b) => a <= b, eq: (a, b) => a === b, ne: (a, b) => a !== b };

const divisor = fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 16, -1, -3, -4, -8);
const intLeaf: fc.Arbitrary<Gen> = fc.oneof(
  fc.constant<Gen>({ tir: (i) => i, js: (i) => i }),
  fc.constant<Gen>({ tir: (i) => T.sub(i, T.intImm(N / 2)), js: (i) => i - N / 2 }),
  fc.integer({ min: -20, max: 20 }).map<Gen>((c) => ({ tir: () => T.intImm(c), js: () => c })),
  fc.integer({ min: -9, max: 9 }).map<Gen>((c) => ({ tir: (_i, x) => T.cast('int32', T.mul(x, T.floatImm(c))), js: (_i, x) => Math.trunc(f32(x * c)) | 0 })),
);

const intExpr: fc.Arbitrary<Gen> = fc.letrec<{ e: Gen }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    intLeaf,
    fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'min', 'max') as fc.Arbitrary<T.BinaryOpName>, tie('e'), tie('e'))
      .map<Gen>(([op, a, b]) => ({ tir: (i, x) => T.binary(op, a.tir(i, x), b.tir(i, x)), js: (i, x) => INT_JS[op]!(a.js(i, x), b.js(i, x)) })),
    fc.tuple(fc.constantFrom('div', 'mod', 'floordiv', 'floormod') as fc.Arbitrary<T.BinaryOpName>, tie('e'), divisor)
      .map<Gen>(([op, a, d]) => ({ tir: (i, x) => T.binary(op, a.tir(i, x), T.intImm(d)), js: (i, x) => INT_JS[op]!(a.js(i, x), d) })),
    fc.tuple(fc.constantFrom('lt', 'le', 'eq', 'ne') as fc.Arbitrary<T.CompareOpName>, tie('e'), tie('e'), tie('e'), tie('e'))
      .map<Gen>(([op, a, b, c, d]) => ({
        tir: (i, x) => T.select(T.compare(op, a.tir(i, x), b.tir(i, x)), c.tir(i, x), d.tir(i, x)),
        js: (i, x) => (CMP_JS[op]!(a.js(i, x), b.js(i, x)) ? c.js(i, x) : d.js(i, x)),
      })),
  ),
})).e;

const FLOAT_FN: Record<string, (v: number) => number> = { exp: (v) => Math.exp(Math.min(v, 10)), tanh: Math.tanh, sigmoid: sigmoidRef, abs: Math.abs, floor: Math.floor, none: (v) => v };

/** Float expressions on top: casts of the int ones, smooth math, selects. */
const floatExpr: fc.Arbitrary<Gen> = fc.tuple(intExpr, fc.constantFrom('exp', 'tanh', 'sigmoid', 'abs', 'floor', 'none'), fc.integer({ min: -4, max: 4 }))
  .map<Gen>(([g, fn, k]) => ({
    tir: (i, x) => {
      const v = T.add(T.mul(T.cast('float32', g.tir(i, x)), T.floatImm(0.01)), T.mul(x, T.floatImm(k)));
      return fn === 'none' ? v : T.call(fn as T.IntrinsicName, [fn === 'exp' ? T.min(v, T.floatImm(10)) : v]);
    },
    js: (i, x) => FLOAT_FN[fn]!(f32(f32(f32(g.js(i, x)) * f32(0.01)) + f32(x * k))),
  }));

function batchFunc(gens: readonly Gen[], dtype: T.DataType): T.PrimFunc {
  const X = T.buffer('X', [N], 'float32');
  const Y = T.buffer('Y', [gens.length * N], dtype);
  const tx = T.variable('tx');
  const x = T.bufferLoad(X, [tx]);
  const stores = gens.map((g, e) => T.bufferStore(Y, g.tir(tx, x), [T.add(T.intImm(e * N), tx)]));
  return T.primFunc('random_exprs', [X, Y], T.forLoop(tx, 0, N, 'threadBinding', T.seq(stores), { threadTag: 'threadIdx.x' }));
}

async function gpuMatchesJs(gens: readonly Gen[], dtype: T.DataType, tol: number): Promise<void> {
  const f = batchFunc(gens, dtype);
  const x = hostArray([N], 'float32', (k) => ((k * 37) % 29) / 7 - 2);
  const y = hostArray([gens.length * N], dtype);
  const mod = await buildWebGPU(f, 'webgpu');
  await mod.run(x, y);
  mod.dispose();
  for (let k = 0; k < y.size; k++) {
    const e = Math.floor(k / N);
    const i = k % N;
    const got = y.data[k]!;
    const want = dtype === 'float32' ? f32(gens[e]!.js(i, x.data[i]!)) : gens[e]!.js(i, x.data[i]!);
    if (!(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)))) {
      throw new Error(`expression ${e} at i=${i}: GPU ${got}, plain JS ${want}\n${print(f)}`);
    }
  }
}

describe('random expressions on WebGPU', () => {
  it('int32 expressions agree exactly with plain JS', async () => {
    await fc.assert(fc.asyncProperty(fc.array(intExpr, { minLength: BATCH, maxLength: BATCH }), (gens) => gpuMatchesJs(gens, 'int32', 0)),
      { numRuns: 8, seed: 4242 });
  });

  it('float32 expressions agree with plain JS to float precision', async () => {
    await fc.assert(fc.asyncProperty(fc.array(floatExpr, { minLength: BATCH, maxLength: BATCH }), (gens) => gpuMatchesJs(gens, 'float32', 2e-5)),
      { numRuns: 6, seed: 4243 });
  });
});
