// tests/ops/elementwise.test.ts — every elementwise op (binary with numpy broadcasting of every kind,
// scalars on either side, unary math and activations, where, cast, broadcastTo) built with
// ops.defaultSchedule on wasm (1 and 2 threads) and WebGPU, checked against TensorFlow.js (CPU) or
// plain JS; and every bad input's named error.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, intInput, tfRef, type Case, type Input } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

const map = (d: ArrayLike<number>, f: (v: number) => number): Float32Array => Float32Array.from(d as ArrayLike<number>, f);
/** erf by Abramowitz–Stegun 7.1.26 in float64 (|error| < 1.5e-7), for the exact GELU reference. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

function floatCases(): { inputs: Input[]; cases: Case[] } {
  const a = input([2, 3, 5], 1);
  const b = input([3, 1], 2);
  const c = input([5], 3);
  const d = input([2, 1, 5], 4);
  const e = input([1], 5);
  const p = input([2, 3, 5], 6, 'pos', 0.1, 3);
  const inputs = [a, b, c, d, e, p];
  const ref = (fn: (...xs: tf.Tensor[]) => tf.Tensor): Float32Array => tfRef(inputs, fn) as Float32Array;
  const cases: Case[] = [
    { name: 'add [2,3,5]+[3,1]', out: ops.add(a.t, b.t), want: ref((A, B) => tf.add(A!, B!)), shape: [2, 3, 5] },
    { name: 'sub [2,1,5]-[3,1] (both stretch)', out: ops.sub(d.t, b.t), want: ref((_A, B, _C, D) => tf.sub(D!, B!)), shape: [2, 3, 5] },
    { name: 'mul [2,3,5]*[5]', out: ops.mul(a.t, c.t), want: ref((A, _B, C) => tf.mul(A!, C!)) },
    { name: 'div by scalar', out: ops.div(a.t, 2.5), want: ref((A) => tf.div(A!, 2.5)) },
    { name: 'scalar div', out: ops.div(3, p.t), want: ref((...x) => tf.div(3, x[5]!)) },
    { name: 'add [1]+[2,3,5]', out: ops.add(e.t, a.t), want: ref((A, _B, _C, _D, E) => tf.add(E!, A!)) },
    { name: 'pow pos^[3,1]', out: ops.pow(p.t, b.t), want: ref((_A, B, ...r) => tf.pow(r[3]!, B!)), tol: 1e-4 },
    { name: 'pow pos^2', out: ops.pow(p.t, 2), want: ref((...x) => tf.pow(x[5]!, 2)), tol: 1e-4 },
    { name: 'maximum [2,3,5],[2,1,5]', out: ops.maximum(a.t, d.t), want: ref((A, _B, _C, D) => tf.maximum(A!, D!)) },
    { name: 'minimum [5],[2,3,5]', out: ops.minimum(c.t, a.t), want: ref((A, _B, C) => tf.minimum(C!, A!)) },
    { name: 'sqrt', out: ops.sqrt(p.t), want: ref((...x) => tf.sqrt(x[5]!)) },
    { name: 'exp', out: ops.exp(a.t), want: ref((A) => tf.exp(A!)), tol: 1e-5 },
    { name: 'log', out: ops.log(p.t), want: ref((...x) => tf.log(x[5]!)), tol: 1e-5 },
    { name: 'abs', out: ops.abs(a.t), want: ref((A) => tf.abs(A!)) },
    { name: 'neg', out: ops.neg(a.t), want: ref((A) => tf.neg(A!)) },
    { name: 'erf', out: ops.erf(a.t), want: map(a.data, erf), tol: 1e-5 },
    { name: 'tanh', out: ops.tanh(a.t), want: ref((A) => tf.tanh(A!)), tol: 1e-5 },
    { name: 'sigmoid', out: ops.sigmoid(a.t), want: ref((A) => tf.sigmoid(A!)), tol: 1e-5 },
    { name: 'relu', out: ops.relu(a.t), want: ref((A) => tf.relu(A!)) },
    { name: 'leakyRelu 0.1', out: ops.leakyRelu(a.t, 0.1), want: ref((A) => tf.leakyRelu(A!, 0.1)) },
    { name: 'leakyRelu default 0.01', out: ops.leakyRelu(a.t), want: ref((A) => tf.leakyRelu(A!, 0.01)) },
    { name: 'clip', out: ops.clip(a.t, -0.5, 0.7), want: ref((A) => tf.clipByValue(A!, -0.5, 0.7)) },
    { name: 'clip min > max gives max (ONNX)', out: ops.clip(a.t, 1, 0.25), want: map(a.data, () => 0.25) },
    { name: 'clip open above', out: ops.clip(a.t, 0, Infinity), want: map(a.data, (v) => Math.max(v, 0)) },
    { name: 'hardSigmoid', out: ops.hardSigmoid(a.t), want: map(a.data, (v) => Math.max(0, Math.min(1, 0.2 * v + 0.5))) },
    { name: 'hardSigmoid alpha beta', out: ops.hardSigmoid(a.t, 0.5, 0.25), want: map(a.data, (v) => Math.max(0, Math.min(1, 0.5 * v + 0.25))) },
    { name: 'hardSwish', out: ops.hardSwish(a.t), want: map(a.data, (v) => v * Math.max(0, Math.min(1, v / 6 + 0.5))) },
    { name: 'gelu erf', out: ops.gelu(a.t), want: map(a.data, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))), tol: 1e-5 },
    { name: 'gelu tanh', out: ops.gelu(a.t, { approximate: 'tanh' }),
      want: map(a.data, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))), tol: 1e-5 },
    { name: 'where c>0 ? a : b (3-way broadcast)', out: ops.where(c.t, a.t, b.t),
      want: ref((A, B, C) => tf.where(tf.broadcastTo(tf.notEqual(C!, 0), [2, 3, 5]), A!, tf.broadcastTo(B!, [2, 3, 5]))) },
    { name: 'where with scalar arms', out: ops.where(ops.relu(d.t), 1, -1), want: ref((_A, _B, _C, D) => tf.where(tf.greater(D!, 0), tf.onesLike(D!), tf.neg(tf.onesLike(D!)))) },
    { name: 'broadcastTo [3,1]→[2,3,4]', out: ops.broadcastTo(b.t, [2, 3, 4]), want: ref((_A, B) => tf.broadcastTo(B!, [2, 3, 4])), shape: [2, 3, 4] },
    { name: 'chain relu(a*c + b) (inlined)', out: ops.relu(ops.add(ops.mul(a.t, c.t), b.t)), want: ref((A, B, C) => tf.relu(tf.add(tf.mul(A!, C!), B!))) },
  ];
  return { inputs, cases };
}

function intCases(): { inputs: Input[]; cases: Case[] } {
  const m = intInput([2, 5], [7, -7, 9, -3, 0, 12, -13, 5, 1, -1], 'm');
  const n = intInput([5], [2, 3, -4, 5, 6], 'n');
  const f = input([3, 4], 7, 'f', -5, 5);
  const inputs = [m, n, f];
  const ref = (fn: (...xs: tf.Tensor[]) => tf.Tensor): Int32Array => tfRef(inputs, fn) as Int32Array;
  const cases: Case[] = [
    { name: 'int add broadcast', out: ops.add(m.t, n.t), want: ref((M, N) => tf.add(M!, N!)) },
    { name: 'int mul scalar', out: ops.mul(m.t, 3), want: ref((M) => tf.mul(M!, 3)) },
    // ONNX Div on integers truncates toward zero (tfjs floors, so plain JS here).
    { name: 'int div truncates', out: ops.div(m.t, n.t), want: Int32Array.from(m.data, (v, i) => Math.trunc(v / n.data[i % 5]!)) },
    { name: 'int relu', out: ops.relu(m.t), want: ref((M) => tf.relu(M!)) },
    { name: 'int abs', out: ops.abs(m.t), want: ref((M) => tf.abs(M!)) },
    { name: 'int neg', out: ops.neg(m.t), want: ref((M) => tf.neg(M!)) },
    { name: 'int maximum', out: ops.maximum(m.t, n.t), want: ref((M, N) => tf.maximum(M!, N!)) },
    { name: 'int clip', out: ops.clip(m.t, -2, 6), want: ref((M) => tf.clipByValue(M!, -2, 6)) },
    { name: 'cast float→int truncates', out: ops.cast(f.t, 'int32'), want: Int32Array.from(f.data, (v) => Math.trunc(v)) },
    { name: 'cast int→float', out: ops.cast(m.t, 'float32'), want: Float32Array.from(m.data) },
    { name: 'where on int cond', out: ops.where(n.t, 1.5, ops.cast(m.t, 'float32')), want: Float32Array.from(m.data, (v, i) => (n.data[i % 5] !== 0 ? 1.5 : v)) },
  ];
  return { inputs, cases };
}

describe('elementwise ops with defaultSchedule', () => {
  it.each(ALL_TARGETS)('float32 binary (every broadcast kind), unary and activations on %s', async (target) => {
    const { inputs, cases } = floatCases();
    await checkCases(target, inputs, cases);
  });

  it.each(ALL_TARGETS)('int32 arithmetic, cast and where on %s', async (target) => {
    const { inputs, cases } = intCases();
    await checkCases(target, inputs, cases);
  });

  it.each(ALL_TARGETS)('a 1-element tensor and a vector length divisible by 4 (vectorized path) on %s', async (target) => {
    const x = input([1], 11);
    const y = input([3, 8], 12);
    const inputs = [x, y];
    await checkCases(target, inputs, [
      { name: 'exp [1]', out: ops.exp(x.t), want: tfRef(inputs, (X) => tf.exp(X!)), tol: 1e-5 },
      { name: 'sigmoid [3,8]', out: ops.sigmoid(y.t), want: tfRef(inputs, (_X, Y) => tf.sigmoid(Y!)), tol: 1e-5 },
      { name: '[1] * [3,8]', out: ops.mul(x.t, y.t), want: tfRef(inputs, (X, Y) => tf.mul(X!, Y!)) },
    ]);
  });
});

describe('elementwise errors name the op and the problem', () => {
  const a = te.placeholder([2, 3], 'float32', 'a');
  const b = te.placeholder([4], 'float32', 'b');
  const i = te.placeholder([2, 3], 'int32', 'i');
  it('shapes that do not broadcast', () => {
    expectOpError(() => ops.add(a, b), 'add', 'do not broadcast (output dimension 1: 3 vs 4)');
    expectOpError(() => ops.where(a, a, b), 'where', 'do not broadcast');
  });
  it('no tensor operand, non-tensor operands, mixed dtypes', () => {
    expectOpError(() => ops.mul(2, 3), 'mul', 'at least one operand must be a te.Tensor');
    expectOpError(() => ops.sub(a, 'x' as unknown as number), 'sub', 'operand 1 must be a te.Tensor or a number');
    expectOpError(() => ops.add(a, i), 'add', 'dtypes differ');
    expectOpError(() => ops.add(i, 0.5), 'add', 'not an integer');
    expectOpError(() => ops.where(a, a, i), 'where', 'different dtypes');
  });
  it('float-only ops refuse int32, bad options are named', () => {
    expectOpError(() => ops.sqrt(i), 'sqrt', 'needs float32');
    expectOpError(() => ops.pow(i, 2), 'pow', 'needs float32');
    expectOpError(() => ops.clip(i, 0.5, 2), 'clip', 'must be integers');
    expectOpError(() => ops.clip(a, Number.NaN, 1), 'clip', 'min must be a number');
    expectOpError(() => ops.gelu(a, { approximate: 'fast' as 'tanh' }), 'gelu', "'none' or 'tanh'");
    expectOpError(() => ops.cast(a, 'float16'), 'cast', "dtype 'float16' is not supported");
    expectOpError(() => ops.relu([1, 2] as unknown as te.Tensor), 'relu', 'must be a te.Tensor');
  });
  it('broadcastTo a shape the input does not stretch to', () => {
    expectOpError(() => ops.broadcastTo(a, [3, 3]), 'broadcastTo', 'do not broadcast');
    expectOpError(() => ops.broadcastTo(a, [3]), 'broadcastTo', 'fewer dimensions');
    expectOpError(() => ops.broadcastTo(b, [4, 1]), 'broadcastTo', 'cannot be broadcast to [4, 1]');
    expectOpError(() => ops.broadcastTo(a, [2, 0]), 'broadcastTo', 'positive integers');
  });
});
