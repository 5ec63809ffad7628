// tests/ops/transform.test.ts — transpose, reshape (0 and -1), flatten, squeeze, expandDims,
// concatenate, split built with ops.defaultSchedule on wasm (1 and 2 threads) and WebGPU, checked
// against TensorFlow.js (CPU) or plain JS; and their named errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, tfRef, type Case } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

function layoutCases(): { inputs: ReturnType<typeof input>[]; cases: Case[] } {
  const x = input([2, 3, 5], 1, 'x');
  const y = input([2, 1, 4], 2, 'y');
  const z = input([2, 4, 5], 3, 'z');
  const inputs = [x, y, z];
  const ref = (fn: (...t: tf.Tensor[]) => tf.Tensor): Float32Array => tfRef(inputs, fn) as Float32Array;
  const pieces = ops.split(x.t, [1, 3, 1], -1);
  const halves = ops.split(z.t, 2, 1);
  const cases: Case[] = [
    { name: 'transpose default (reversed)', out: ops.transpose(x.t), want: ref((X) => tf.transpose(X!)), shape: [5, 3, 2] },
    { name: 'transpose [1,2,0]', out: ops.transpose(x.t, [1, 2, 0]), want: ref((X) => tf.transpose(X!, [1, 2, 0])) },
    { name: 'transpose negative axes [-1,0,1]', out: ops.transpose(x.t, [-1, 0, 1]), want: ref((X) => tf.transpose(X!, [2, 0, 1])) },
    { name: 'reshape [5,-1]', out: ops.reshape(x.t, [5, -1]), want: x.data, shape: [5, 6] },
    { name: 'reshape [0,15] (0 copies)', out: ops.reshape(x.t, [0, 15]), want: x.data, shape: [2, 15] },
    { name: 'reshape to 1-D then a transpose of it', out: ops.transpose(ops.reshape(x.t, [6, 5])), want: ref((X) => tf.transpose(tf.reshape(X!, [6, 5]))) },
    { name: 'flatten axis 1', out: ops.flatten(x.t), want: x.data, shape: [2, 15] },
    { name: 'flatten axis 0', out: ops.flatten(x.t, 0), want: x.data, shape: [1, 30] },
    { name: 'flatten axis -1', out: ops.flatten(x.t, -1), want: x.data, shape: [6, 5] },
    { name: 'squeeze all', out: ops.squeeze(y.t), want: y.data, shape: [2, 4] },
    { name: 'squeeze [-2]', out: ops.squeeze(y.t, [-2]), want: y.data, shape: [2, 4] },
    { name: 'expandDims 0', out: ops.expandDims(x.t, 0), want: x.data, shape: [1, 2, 3, 5] },
    { name: 'expandDims -1 num 2', out: ops.expandDims(x.t, -1, 2), want: x.data, shape: [2, 3, 5, 1, 1] },
    { name: 'expandDims 2 then transpose', out: ops.transpose(ops.expandDims(y.t, 2), [0, 3, 2, 1]), want: ref((_X, Y) => tf.transpose(tf.expandDims(Y!, 2), [0, 3, 2, 1])) },
    { name: 'concatenate axis 1', out: ops.concatenate([x.t, z.t, x.t], 1), want: ref((X, _Y, Z) => tf.concat([X!, Z!, X!], 1)), shape: [2, 10, 5] },
    { name: 'concatenate axis -1 of transposed', out: ops.concatenate([ops.transpose(x.t, [0, 2, 1]), ops.transpose(z.t, [0, 2, 1])], -1),
      want: ref((X, _Y, Z) => tf.concat([tf.transpose(X!, [0, 2, 1]), tf.transpose(Z!, [0, 2, 1])], -1)) },
    { name: 'concatenate one input', out: ops.concatenate([y.t], 0), want: y.data },
    ...pieces.map((p, i): Case => ({ name: `split [1,3,1] piece ${i}`, out: p, want: ref((X) => tf.split(X!, [1, 3, 1], -1)[i]!) })),
    ...halves.map((p, i): Case => ({ name: `split 2 sections piece ${i}`, out: p, want: ref((_X, _Y, Z) => tf.split(Z!, 2, 1)[i]!), shape: [2, 2, 5] })),
  ];
  return { inputs, cases };
}

describe('layout ops with defaultSchedule', () => {
  it.each(ALL_TARGETS)('transpose, reshape, flatten, squeeze, expandDims, concatenate, split on %s', async (target) => {
    const { inputs, cases } = layoutCases();
    await checkCases(target, inputs, cases);
  });
});

describe('layout errors name the op and the problem', () => {
  const x = te.placeholder([2, 3, 5], 'float32', 'x');
  it('transpose', () => {
    expectOpError(() => ops.transpose(x, [0, 1]), 'transpose', 'must have 3 entries');
    expectOpError(() => ops.transpose(x, [0, 1, 1]), 'transpose', 'not a permutation');
    expectOpError(() => ops.transpose(x, [0, 1, 3]), 'transpose', 'out of range');
  });
  it('reshape and flatten', () => {
    expectOpError(() => ops.reshape(x, [4, -1]), 'reshape', '30 is not divisible by 4');
    expectOpError(() => ops.reshape(x, [-1, -1]), 'reshape', 'more than one -1');
    expectOpError(() => ops.reshape(x, [7, 4]), 'reshape', '(28 elements)');
    expectOpError(() => ops.reshape(x, [2, -2]), 'reshape', 'shape[1] = -2');
    expectOpError(() => ops.reshape(x, [30, 1, 1, 0]), 'reshape', 'copies input dimension 3');
    expectOpError(() => ops.flatten(x, 4), 'flatten', 'axis 4 is out of range');
  });
  it('squeeze and expandDims', () => {
    expectOpError(() => ops.squeeze(x, [1]), 'squeeze', 'axis 1 of input [2, 3, 5] has size 3');
    expectOpError(() => ops.squeeze(x, [3]), 'squeeze', 'out of range');
    expectOpError(() => ops.expandDims(x, 5), 'expandDims', 'axis 5 is out of range');
    expectOpError(() => ops.expandDims(x, 0, -1), 'expandDims', 'num must be a non-negative integer');
  });
  it('concatenate and split', () => {
    expectOpError(() => ops.concatenate([], 0), 'concatenate', 'non-empty');
    expectOpError(() => ops.concatenate([x, te.placeholder([2, 4, 5], 'float32', 'y')], 2), 'concatenate', 'input 1 has shape [2, 4, 5]');
    expectOpError(() => ops.concatenate([x, te.placeholder([2, 3, 5], 'int32', 'i')], 0), 'concatenate', 'dtypes differ');
    expectOpError(() => ops.concatenate([x, x], 3), 'concatenate', 'axis 3 is out of range');
    expectOpError(() => ops.split(x, 2, 1), 'split', 'axis 1 has size 3, which 2 equal sections do not divide');
    expectOpError(() => ops.split(x, [1, 1], 1), 'split', 'sum to 2');
    expectOpError(() => ops.split(x, [3, 0], 1), 'split', 'positive integers');
  });
});
