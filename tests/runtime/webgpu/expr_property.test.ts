// tests/runtime/webgpu/expr_property.test.ts — property test: random int32/float32 TIR expressions
// (division and modulo of every flavour, min/max, selects, casts, math) printed as WGSL and run
// on the adapter give exactly what tir.interpret gives.

import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import { interpret } from '../../../tir/interpreter.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { hostArray } from './helpers.js';

afterAll(releaseWebGPU);

const N = 64;
const BATCH = 6;

/** A random expression builder over the thread index `i` and the float input `x`. */
type Gen = (i: T.PrimExpr, x: T.PrimExpr) => T.PrimExpr;

const divisor = fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 16, -1, -3, -4, -8);
const intLeaf: fc.Arbitrary<Gen> = fc.oneof(
  fc.constant<Gen>((i) => i),
  fc.constant<Gen>((i) => T.sub(i, T.intImm(N / 2))),
  fc.integer({ min: -20, max: 20 }).map<Gen>((c) => () => T.intImm(c)),
  fc.integer({ min: -9, max: 9 }).map<Gen>((c) => (_i, x) => T.cast('int32', T.mul(x, T.floatImm(c)))),
);

const intExpr: fc.Arbitrary<Gen> = fc.letrec<{ e: Gen }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    intLeaf,
    fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'min', 'max') as fc.Arbitrary<T.BinaryOpName>, tie('e'), tie('e'))
      .map<Gen>(([op, a, b]) => (i, x) => T.binary(op, a(i, x), b(i, x))),
    fc.tuple(fc.constantFrom('div', 'mod', 'floordiv', 'floormod') as fc.Arbitrary<T.BinaryOpName>, tie('e'), divisor)
      .map<Gen>(([op, a, d]) => (i, x) => T.binary(op, a(i, x), T.intImm(d))),
    fc.tuple(fc.constantFrom('lt', 'le', 'eq', 'ne') as fc.Arbitrary<T.CompareOpName>, tie('e'), tie('e'), tie('e'), tie('e'))
      .map<Gen>(([op, a, b, c, d]) => (i, x) => T.select(T.compare(op, a(i, x), b(i, x)), c(i, x), d(i, x))),
  ),
})).e;

/** Float expressions on top: casts of the int ones, smooth math, selects. */
const floatExpr: fc.Arbitrary<Gen> = fc.tuple(intExpr, fc.constantFrom('exp', 'tanh', 'sigmoid', 'abs', 'floor', 'none'), fc.integer({ min: -4, max: 4 }))
  .map<Gen>(([g, fn, k]) => (i, x) => {
    const v = T.add(T.mul(T.cast('float32', g(i, x)), T.floatImm(0.01)), T.mul(x, T.floatImm(k)));
    return fn === 'none' ? v : T.call(fn as T.IntrinsicName, [fn === 'exp' ? T.min(v, T.floatImm(10)) : v]);
  });

function batchFunc(gens: readonly Gen[], dtype: T.DataType): T.PrimFunc {
  const X = T.buffer('X', [N], 'float32');
  const Y = T.buffer('Y', [gens.length * N], dtype);
  const tx = T.variable('tx');
  const x = T.bufferLoad(X, [tx]);
  const stores = gens.map((g, e) => T.bufferStore(Y, g(tx, x), [T.add(T.intImm(e * N), tx)]));
  return T.primFunc('random_exprs', [X, Y], T.forLoop(tx, 0, N, 'threadBinding', T.seq(stores), { threadTag: 'threadIdx.x' }));
}

async function gpuMatchesInterpreter(gens: readonly Gen[], dtype: T.DataType, tol: number): Promise<void> {
  const f = batchFunc(gens, dtype);
  const x = hostArray([N], 'float32', (k) => ((k * 37) % 29) / 7 - 2);
  const y = hostArray([gens.length * N], dtype);
  const ref = [x.data.slice(), y.data.slice()];
  interpret(f, ref);
  const mod = await buildWebGPU(f, 'webgpu');
  await mod.run(x, y);
  mod.dispose();
  for (let k = 0; k < y.size; k++) {
    const got = y.data[k]!, want = ref[1]![k]!;
    if (!(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)))) {
      throw new Error(`expression ${Math.floor(k / N)} at i=${k % N}: GPU ${got}, interpreter ${want}\n${print(f)}`);
    }
  }
}

describe('random expressions on WebGPU', () => {
  it('int32 expressions agree exactly with the interpreter', async () => {
    await fc.assert(fc.asyncProperty(fc.array(intExpr, { minLength: BATCH, maxLength: BATCH }), (gens) => gpuMatchesInterpreter(gens, 'int32', 0)),
      { numRuns: 8, seed: 4242 });
  });

  it('float32 expressions agree with the interpreter to float precision', async () => {
    await fc.assert(fc.asyncProperty(fc.array(floatExpr, { minLength: BATCH, maxLength: BATCH }), (gens) => gpuMatchesInterpreter(gens, 'float32', 2e-5)),
      { numRuns: 6, seed: 4243 });
  });
});
