// tests/ops/reduction.test.ts — sum, mean, max, min, prod over any axes (negative, all, keepdims,
// 1-element dims, batch 2) built with ops.defaultSchedule on wasm (1 and 2 threads) and WebGPU
// (including the rfactor cross-thread path), checked against TensorFlow.js (CPU); bad axes' errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, tfRef, type Case, type Input } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

type Red = 'sum' | 'mean' | 'max' | 'min' | 'prod';
const OURS: Record<Red, (x: te.Tensor, axes?: number[], keep?: boolean) => te.Tensor> = {
  sum: ops.sum, mean: ops.mean, max: ops.max, min: ops.min, prod: ops.prod,
};
const THEIRS: Record<Red, (x: tf.Tensor, axes?: number[], keep?: boolean) => tf.Tensor> = {
  sum: (x, a, k) => tf.sum(x, a, k), mean: (x, a, k) => tf.mean(x, a, k), max: (x, a, k) => tf.max(x, a, k),
  min: (x, a, k) => tf.min(x, a, k), prod: (x, a, k) => tf.prod(x, a, k),
};

/** Every reducer on each (axes, keepdims) of `plan`, reading input `x` (index `at` among inputs). */
function cases(inputs: Input[], at: number, reds: readonly Red[], plan: readonly [number[] | undefined, boolean][]): Case[] {
  const x = inputs[at]!;
  return reds.flatMap((r) => plan.map(([axes, keep]): Case => {
    const out = OURS[r](x.t, axes, keep);
    const want = tfRef(inputs, (...xs) => THEIRS[r](xs[at]!, axes, keep));
    const shape = tf.tidy(() => THEIRS[r](tf.zeros([...x.t.dims]), axes, keep).shape);
    return { name: `${r}(${x.t.name} [${x.t.dims.join(',')}], axes ${JSON.stringify(axes)}, keepdims ${keep})`, out, want, shape, tol: 1e-5 };
  }));
}

const ALL: readonly Red[] = ['sum', 'mean', 'max', 'min', 'prod'];

describe('reductions with defaultSchedule', () => {
  it.each(ALL_TARGETS)('sum/mean/prod over single, several, negative and 1-element axes, keepdims on %s', async (target) => {
    const x = input([2, 3, 5], 1, 'x', 0.5, 1.5);
    const y = input([4, 1, 8], 2, 'y');
    const inputs = [x, y];
    await checkCases(target, inputs, [
      ...cases(inputs, 0, ['sum', 'mean', 'prod'], [[[1], false], [[-1], true], [[0, 2], false], [[2, 0], true]]),
      ...cases(inputs, 1, ['sum', 'mean'], [[[0], false], [[1], false], [[-1, 0], true], [undefined, true]]),
    ]);
  });

  it.each(ALL_TARGETS)('max/min on %s', async (target) => {
    const x = input([2, 3, 5], 3);
    const y = input([4, 1, 8], 4);
    const inputs = [x, y];
    await checkCases(target, inputs, [
      ...cases(inputs, 0, ['max', 'min'], [[[1], false], [[-1], true], [[0, 2], false]]),
      ...cases(inputs, 1, ['max', 'min'], [[[0], false], [undefined, true]]),
    ]);
  });

  it.each(ALL_TARGETS)('over every axis to a 0-D result on %s', async (target) => {
    const x = input([3, 7], 5);
    const inputs = [x];
    await checkCases(target, inputs, cases(inputs, 0, ALL.filter((r) => r !== 'prod'), [[undefined, false], [[0, -1], false]]));
  }, 180_000);

  // WebGPU: a longest axis ≥ 128 takes the rfactor path (64 partials, then one thread); 203 and 131
  // are not multiples of 64. Checked against plain JS, with the NaN rule of docs/tir.md: sum, max
  // and min over anything holding a NaN are NaN; max of all −∞ is −∞.
  it.each(ALL_TARGETS)('0-D reductions of long inputs (rfactor on WebGPU) and NaN / ±inf against plain JS on %s', async (target) => {
    const a = input([203], 8, 'a');
    const b = input([2, 131], 9, 'b', 0.9, 1.1);
    const n = input([3, 50], 10, 'n');
    n.data[77] = Number.NaN;
    const inf = input([130], 11, 'inf');
    inf.data.fill(Number.NEGATIVE_INFINITY);
    const plain = (d: ArrayLike<number>, f: (acc: number, v: number) => number, init: number): number[] => [Array.from(d).reduce(f, init)];
    const nanMax = (p: number, v: number): number => (Number.isNaN(p) || Number.isNaN(v) ? Number.NaN : Math.max(p, v));
    const nanMin = (p: number, v: number): number => (Number.isNaN(p) || Number.isNaN(v) ? Number.NaN : Math.min(p, v));
    const inputs = [a, b, n, inf];
    const all: Case[] = [
      { name: 'sum(a)', out: ops.sum(a.t), want: plain(a.data, (p, v) => p + v, 0), shape: [], tol: 1e-5 },
      { name: 'max(a)', out: ops.max(a.t), want: plain(a.data, nanMax, -Infinity), shape: [] },
      { name: 'mean(b)', out: ops.mean(b.t), want: [plain(b.data, (p, v) => p + v, 0)[0]! / 262], shape: [], tol: 1e-5 },
      { name: 'prod(b)', out: ops.prod(b.t), want: plain(b.data, (p, v) => p * v, 1), shape: [], tol: 1e-4 },
      { name: 'min(b, keepdims)', out: ops.min(b.t, undefined, true), want: plain(b.data, nanMin, Infinity), shape: [1, 1] },
      { name: 'sum(n) with a NaN', out: ops.sum(n.t), want: [Number.NaN], shape: [] },
      { name: 'max(n) with a NaN', out: ops.max(n.t), want: [Number.NaN], shape: [] },
      { name: 'min(n) with a NaN', out: ops.min(n.t), want: [Number.NaN], shape: [] },
      { name: 'max(all −inf)', out: ops.max(inf.t), want: [Number.NEGATIVE_INFINITY], shape: [] },
      { name: 'sum(all −inf)', out: ops.sum(inf.t), want: [Number.NEGATIVE_INFINITY], shape: [] },
    ];
    // Each rfactor adds a scratch buffer the harness does not count: two builds of five on WebGPU.
    await checkCases(target, inputs, all.slice(0, 5));
    await checkCases(target, inputs, all.slice(5));
  }, 300_000);

  // Lavapipe compiles barrier kernels slowly on a loaded machine: two cases on WebGPU, one build.
  it.each(ALL_TARGETS)('long rows (the WebGPU rfactor path) with a length no split divides on %s', async (target) => {
    const x = input([3, 131], 6);
    const z = input([2, 130, 3], 7);
    const inputs = [x, z];
    const all = [
      ...cases(inputs, 0, ['sum', 'mean'], [[[1], false], [[-1], true]]),
      ...cases(inputs, 1, ['sum'], [[[1], false], [[0, 1], true]]),
    ];
    await checkCases(target, inputs, target === 'webgpu' ? [all[0]!, all[4]!] : all);
  }, 180_000);

  it('an empty axes list is a copy', () => {
    const x = te.placeholder([2, 3], 'float32', 'x');
    expect(ops.sum(x, []).dims).toEqual([2, 3]);
  });
});

describe('reduction errors name the op and the axis', () => {
  const x = te.placeholder([2, 3], 'float32', 'x');
  it('axes out of range, repeated or not integers; keepdims not boolean; mean of int32', () => {
    expectOpError(() => ops.sum(x, [2]), 'sum', 'axes entry 2 is out of range for a 2-D tensor (expected -2 to 1)');
    expectOpError(() => ops.max(x, [-3]), 'max', 'out of range');
    expectOpError(() => ops.min(x, [1, -1]), 'min', 'names an axis twice');
    expectOpError(() => ops.prod(x, [0.5]), 'prod', 'must be an integer');
    expectOpError(() => ops.sum(x, [0], 1 as unknown as boolean), 'sum', 'keepdims must be a boolean');
    expectOpError(() => ops.mean(te.placeholder([2], 'int32', 'i')), 'mean', 'needs float32');
  });
});
