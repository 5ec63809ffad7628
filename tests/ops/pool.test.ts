// tests/ops/pool.test.ts — max/avg pool 2d (padding [t,l,b,r] asymmetric, strides, dilation, ceil mode,
// count-include-pad, 1-pixel image, batch 2, C not a multiple of 4) and global avg/max pool, built
// with ops.defaultSchedule on wasm (1 and 2 threads) and WebGPU, checked against the ONNX pooling
// definition in plain JS and TensorFlow.js (CPU) pools; named errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, tfRef, type Case, type Input } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

interface P { k: [number, number]; s?: [number, number]; p?: [number, number, number, number]; d?: [number, number]; ceil?: boolean; incl?: boolean }

/** Output length as PyTorch/ONNX: with ceil mode, the last window must start inside the input or its leading pad. */
function outLen(len: number, k: number, s: number, d: number, lo: number, hi: number, ceil: boolean): number {
  const eff = (len + lo + hi - d * (k - 1) - 1) / s;
  let o = (ceil ? Math.ceil(eff) : Math.floor(eff)) + 1;
  if (ceil && (o - 1) * s >= len + lo) o--;
  return o;
}

/** Pooling by its definition: visit each window's positions, keep those inside the input. */
function poolRef(x: Input, kind: 'max' | 'avg', q: P): { want: Float32Array; shape: number[] } {
  const [N, C, H, W] = x.t.dims as [number, number, number, number];
  const [sh, sw] = q.s ?? [1, 1];
  const [pt, pl, pb, pr] = q.p ?? [0, 0, 0, 0];
  const [dh, dw] = q.d ?? [1, 1];
  const oh = outLen(H, q.k[0], sh, dh, pt, pb, q.ceil === true);
  const ow = outLen(W, q.k[1], sw, dw, pl, pr, q.ceil === true);
  const out = new Float32Array(N * C * oh * ow);
  let o = 0;
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    let acc = kind === 'max' ? -Infinity : 0;
    let real = 0;
    let padded = 0;
    for (let r = 0; r < q.k[0]; r++) for (let t = 0; t < q.k[1]; t++) {
      const iy = y * sh + r * dh - pt;
      const ix = xx * sw + t * dw - pl;
      if (iy >= -pt && iy < H + pb && ix >= -pl && ix < W + pr) padded++;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      const v = x.data[((n * C + c) * H + iy) * W + ix]!;
      acc = kind === 'max' ? Math.max(acc, v) : acc + v;
      real++;
    }
    out[o++] = kind === 'max' ? acc : acc / (q.incl ? padded : real);
  }
  return { want: out, shape: [N, C, oh, ow] };
}

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
