// tests/ops/pad.test.ts — pad in constant (any fill value), edge and reflect modes, on odd shapes and
// 1-element dimensions, built with ops.defaultSchedule on wasm (1 and 2 threads) and WebGPU, checked
// against TensorFlow.js pad / mirrorPad and a plain-JS edge pad; and the named errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, mapIndices, tfRef } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

describe('pad with defaultSchedule', () => {
  it.each(ALL_TARGETS)('constant, edge and reflect on %s', async (target) => {
    const x = input([2, 3, 5], 1, 'x');
    const y = input([1, 4], 2, 'y');
    const inputs = [x, y];
    const ref = (fn: (X: tf.Tensor, Y: tf.Tensor) => tf.Tensor): Float32Array => tfRef(inputs, (X, Y) => fn(X!, Y!)) as Float32Array;
    const clamp = (v: number, d: number): number => Math.min(Math.max(v, 0), d - 1);
    await checkCases(target, inputs, [
      { name: 'constant 0', out: ops.pad(x.t, [0, 1, 2], [1, 0, 3]), want: ref((X) => tf.pad(X, [[0, 1], [1, 0], [2, 3]])), shape: [3, 4, 10] },
      { name: 'constant -1.5', out: ops.pad(y.t, [2, 1], [0, 3], { value: -1.5 }), want: ref((_X, Y) => tf.pad(Y, [[2, 0], [1, 3]], -1.5)) },
      { name: 'reflect', out: ops.pad(x.t, [1, 2, 4], [1, 1, 3], { mode: 'reflect' }), want: ref((X) => tf.mirrorPad(X, [[1, 1], [2, 1], [4, 3]], 'reflect')) },
      { name: 'reflect on a size-1 axis with zero pad', out: ops.pad(y.t, [0, 3], [0, 2], { mode: 'reflect' }), want: ref((_X, Y) => tf.mirrorPad(Y, [[0, 0], [3, 2]], 'reflect')) },
      { name: 'edge', out: ops.pad(x.t, [2, 0, 3], [1, 2, 4], { mode: 'edge' }),
        want: mapIndices(x.t.dims, x.data, [5, 5, 12], (o) => [clamp(o[0]! - 2, 2), clamp(o[1]!, 3), clamp(o[2]! - 3, 5)]) },
      { name: 'edge of a size-1 axis', out: ops.pad(y.t, [2, 0], [1, 0], { mode: 'edge' }),
        want: mapIndices(y.t.dims, y.data, [4, 4], (o) => [0, o[1]!]) },
      { name: 'pad then relu (inlined constant pad)', out: ops.relu(ops.pad(x.t, [0, 1, 1], [0, 1, 1], { value: 0.25 })),
        want: ref((X) => tf.relu(tf.pad(X, [[0, 0], [1, 1], [1, 1]], 0.25))) },
    ]);
  });
});

describe('pad errors name the op and the problem', () => {
  const x = te.placeholder([2, 3], 'float32', 'x');
  it('wrong lengths, negative pads, bad mode, reflect too wide, fractional int fill', () => {
    expectOpError(() => ops.pad(x, [1], [1, 1]), 'pad', 'padBefore must have 2 entries');
    expectOpError(() => ops.pad(x, [1, 1], [1, -1]), 'pad', 'padAfter[1] = -1');
    expectOpError(() => ops.pad(x, [1, 1], [1, 1], { mode: 'wrap' as 'edge' }), 'pad', "mode must be 'constant', 'edge' or 'reflect'");
    expectOpError(() => ops.pad(x, [0, 3], [0, 0], { mode: 'reflect' }), 'pad', 'axis 1 has size 3 and pads 3, 0');
    expectOpError(() => ops.pad(te.placeholder([2], 'int32', 'i'), [1], [1], { value: 0.5 }), 'pad', 'must be an integer');
  });
});
