// tests/ops/norm.test.ts — layerNorm (several normalized axes, broadcast gamma/beta, no beta) and
// inference batchNorm (NCHW axis 1, channels-last axis -1, batch 2) built with ops.defaultSchedule on
// wasm (1 and 2 threads) and WebGPU, checked against TensorFlow.js (CPU) ops; named errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, tfRef } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

/** (x − mean) / √(var + ε) · g + b over `axes` with tf.moments (biased variance, as ONNX). */
function layerNormRef(x: tf.Tensor, axes: number[], g: tf.Tensor, b: tf.Tensor | undefined, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, axes, true);
  const y = tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g);
  return b ? tf.add(y, b) : y;
}

describe('normalization with defaultSchedule', () => {
  it.each(ALL_TARGETS)('layerNorm and batchNorm on %s', async (target) => {
    const x = input([2, 3, 5], 1, 'x', -3, 3);
    const g5 = input([5], 2, 'g5');
    const b5 = input([5], 3, 'b5');
    const g35 = input([3, 1], 4, 'g35');
    const c3 = input([3], 5, 'c3');
    const v3 = input([3], 6, 'v3', 0.2, 2);
    const c5 = input([5], 7, 'c5');
    const v5 = input([5], 8, 'v5', 0.2, 2);
    const inputs = [x, g5, b5, g35, c3, v3, c5, v5];
    const ref = (fn: (...t: tf.Tensor[]) => tf.Tensor): Float32Array => tfRef(inputs, fn) as Float32Array;
    const ch = (t: tf.Tensor): tf.Tensor => tf.reshape(t, [3, 1]);
    await checkCases(target, inputs, [
      { name: 'layerNorm last axis', out: ops.layerNorm(x.t, g5.t, b5.t), want: ref((X, G, B) => layerNormRef(X!, [2], G!, B!, 1e-5)), tol: 1e-4 },
      { name: 'layerNorm axis 1, gamma [3,1] broadcast, no beta, eps 1e-3', out: ops.layerNorm(x.t, g35.t, undefined, { axis: 1, epsilon: 1e-3 }),
        want: ref((X, _G, _B, G35) => layerNormRef(X!, [1, 2], G35!, undefined, 1e-3)), tol: 1e-4 },
      { name: 'layerNorm axis -2 with gamma [5]', out: ops.layerNorm(x.t, g5.t, b5.t, { axis: -2 }), want: ref((X, G, B) => layerNormRef(X!, [1, 2], G!, B!, 1e-5)), tol: 1e-4 },
      { name: 'batchNorm NCHW-style axis 1', out: ops.batchNorm(x.t, c3.t, v3.t, c3.t, v3.t),
        want: ref((X, _a, _b, _c, C3, V3) => tf.add(tf.mul(tf.div(tf.sub(X!, ch(C3!)), tf.sqrt(tf.add(ch(V3!), 1e-5))), ch(C3!)), ch(V3!))), tol: 1e-4 },
      { name: 'batchNorm axis -1, eps 0.1', out: ops.batchNorm(x.t, g5.t, b5.t, c5.t, v5.t, { axis: -1, epsilon: 0.1 }),
        want: ref((X, G, B, _g, _c, _v, C5, V5) => tf.add(tf.mul(tf.div(tf.sub(X!, C5!), tf.sqrt(tf.add(V5!, 0.1))), G!), B!)), tol: 1e-4 },
    ]);
  });
});

describe('normalization errors', () => {
  const x = te.placeholder([2, 3, 5], 'float32', 'x');
  const p5 = te.placeholder([5], 'float32', 'p5');
  const p3 = te.placeholder([3], 'float32', 'p3');
  it('layerNorm', () => {
    expectOpError(() => ops.layerNorm(x, p3), 'layerNorm', 'gamma has shape [3], which does not broadcast to the normalized shape [5]');
    expectOpError(() => ops.layerNorm(x, p5, p3), 'layerNorm', 'beta has shape [3]');
    expectOpError(() => ops.layerNorm(x, p5, p5, { axis: 3 }), 'layerNorm', 'axis 3 is out of range');
    expectOpError(() => ops.layerNorm(x, p5, p5, { epsilon: -1 }), 'layerNorm', 'epsilon must be ≥ 0');
  });
  it('batchNorm', () => {
    expectOpError(() => ops.batchNorm(x, p5, p3, p3, p3), 'batchNorm', 'gamma has shape [5]; expected [3] (the size of axis 1');
    expectOpError(() => ops.batchNorm(x, p3, p3, p3, p3, { axis: -4 }), 'batchNorm', 'out of range');
    expectOpError(() => ops.batchNorm(x, p3, p3, p3, 'v' as unknown as te.Tensor), 'batchNorm', 'variance must be a te.Tensor');
  });
});
