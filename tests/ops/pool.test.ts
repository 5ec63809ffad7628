// tests/ops/pool.test.ts — max/avg pool 2d (padding [t,l,b,r] asymmetric, strides, dilation, ceil mode,
// count-include-pad, 1-pixel image, batch 2, C not a multiple of 4) and global avg/max pool, built
// with ops.defaultSchedule on wasm (1 and 2 threads) and WebGPU, checked against the ONNX pooling
// definition in plain JS and TensorFlow.js (CPU) pools; named errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, tfRef, type Case } from './ops_harness.js';
import { poolRef, type P } from './pool_reference.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

function opts(q: P): ops.Pool2dOptions {
  return { kernel: q.k, strides: q.s, padding: q.p, dilation: q.d, ceilMode: q.ceil, countIncludePad: q.incl };
}

const CONFIGS: readonly P[] = [
  { k: [2, 2], s: [2, 2] },
  { k: [3, 3], s: [2, 2], p: [1, 1, 1, 1] },
  { k: [3, 2], s: [1, 2], p: [2, 0, 1, 1] },
  { k: [3, 3], s: [2, 2], p: [1, 0, 0, 1], ceil: true },
  { k: [2, 3], s: [3, 2], d: [2, 2], p: [1, 1, 0, 2] },
  { k: [3, 3], s: [2, 2], ceil: true },
  { k: [3, 3], s: [2, 2], p: [1, 2, 2, 1], ceil: true, incl: true },
];

const label = (q: P): string => JSON.stringify(q).replace(/"/g, '');

describe('pooling with defaultSchedule', () => {
  it.each(ALL_TARGETS)('avgPool2d (ONNX definition and tfjs) and globalAvgPool2d on %s', async (target) => {
    const x = input([2, 3, 7, 8], 1, 'x');
    const px = input([1, 2, 1, 1], 2, 'px');
    const inputs = [x, px];
    const nhwc = (t: tf.Tensor): tf.Tensor4D => tf.transpose(t, [0, 2, 3, 1]) as tf.Tensor4D;
    const nchw = (t: tf.Tensor): tf.Tensor => tf.transpose(t, [0, 3, 1, 2]);
    const cases: Case[] = [
      ...CONFIGS.map((q): Case => ({ name: `avgPool2d ${label(q)}`, out: ops.avgPool2d(x.t, opts(q)), ...poolRef(x, 'avg', q), tol: 1e-5 })),
      ...CONFIGS.slice(1, 3).map((q): Case => ({ name: `avgPool2d countIncludePad ${label(q)}`, out: ops.avgPool2d(x.t, { ...opts(q), countIncludePad: true }), ...poolRef(x, 'avg', { ...q, incl: true }), tol: 1e-5 })),
      { name: 'avgPool2d 3x3/2 valid (tfjs)', out: ops.avgPool2d(x.t, { kernel: [3, 3], strides: [2, 2] }), want: tfRef(inputs, (X) => nchw(tf.avgPool(nhwc(X!), [3, 3], [2, 2], 'valid'))), tol: 1e-5 },
      { name: 'avgPool2d 1-pixel image, padding 1 (tfjs same)', out: ops.avgPool2d(px.t, { kernel: [3, 3], padding: [1, 1, 1, 1] }),
        want: tfRef(inputs, (_X, P) => nchw(tf.avgPool(nhwc(P!), [3, 3], [1, 1], 'same'))) },
      { name: 'globalAvgPool2d', out: ops.globalAvgPool2d(x.t), want: tfRef(inputs, (X) => tf.mean(X!, [2, 3], true)), shape: [2, 3, 1, 1], tol: 1e-5 },
    ];
    await checkCases(target, inputs, cases);
  });

  it.each(ALL_TARGETS)('maxPool2d (ONNX definition and tfjs) and globalMaxPool2d on %s', async (target) => {
    const x = input([2, 3, 7, 8], 3, 'x');
    const inputs = [x];
    const nhwc = (t: tf.Tensor): tf.Tensor4D => tf.transpose(t, [0, 2, 3, 1]) as tf.Tensor4D;
    const cases: Case[] = [
      ...CONFIGS.map((q): Case => ({ name: `maxPool2d ${label(q)}`, out: ops.maxPool2d(x.t, opts(q)), ...poolRef(x, 'max', q) })),
      { name: 'maxPool2d 2x2/2 (tfjs)', out: ops.maxPool2d(x.t, { kernel: [2, 2], strides: [2, 2] }),
        want: tfRef(inputs, (X) => tf.transpose(tf.maxPool(nhwc(X!), [2, 2], [2, 2], 'valid'), [0, 3, 1, 2])) },
      { name: 'globalMaxPool2d', out: ops.globalMaxPool2d(x.t), want: tfRef(inputs, (X) => tf.max(X!, [2, 3], true)), shape: [2, 3, 1, 1] },
    ];
    await checkCases(target, inputs, cases);
  });
});

describe('pooling errors', () => {
  const x = te.placeholder([1, 2, 5, 5], 'float32', 'x');
  it('rank, kernel, strides, padding, output size', () => {
    expectOpError(() => ops.maxPool2d(te.placeholder([2, 5, 5], 'float32', 'y'), { kernel: [2, 2] }), 'maxPool2d', 'must be 4-D NCHW');
    expectOpError(() => ops.avgPool2d(x, { kernel: [2] }), 'avgPool2d', 'kernel must have 2 entries');
    expectOpError(() => ops.maxPool2d(x, { kernel: [2, 2], strides: [0, 1] }), 'maxPool2d', 'strides[0] = 0');
    expectOpError(() => ops.maxPool2d(x, { kernel: [2, 2], padding: [1, 1] }), 'maxPool2d', 'padding [top, left, bottom, right] must have 4 entries');
    expectOpError(() => ops.avgPool2d(x, { kernel: [2, 2], padding: [2, 0, 0, 0] }), 'avgPool2d', 'must be smaller than the (dilated) kernel');
    expectOpError(() => ops.maxPool2d(x, { kernel: [6, 2] }), 'maxPool2d', 'output size 0×4 ≤ 0');
    expectOpError(() => ops.avgPool2d(x, { kernel: [2, 2], countIncludePad: 1 as unknown as boolean }), 'avgPool2d', 'countIncludePad must be a boolean');
    expectOpError(() => ops.globalMaxPool2d(te.placeholder([2, 5], 'float32', 'z')), 'globalMaxPool2d', 'must be 4-D NCHW');
  });
});
