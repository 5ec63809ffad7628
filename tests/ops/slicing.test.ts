// tests/ops/slicing.test.ts — stridedSlice (negative indices and steps, ONNX clamping, axes) and take
// (ONNX Gather: tensor indices with negatives, constant lists, a scalar index) built with
// ops.defaultSchedule on wasm (1 and 2 threads) and WebGPU, checked against numpy slicing written in
// plain JS and TensorFlow.js gather; and their named errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, intInput, mapIndices, tfRef, type Case } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

/** CPython's PySlice_AdjustIndices: the indices numpy's x[start:stop:step] visits (ONNX Slice is defined as that). */
function pySlice(start: number, stop: number, step: number, len: number): number[] {
  const adjust = (v: number): number => {
    if (v < 0) { v += len; if (v < 0) v = step < 0 ? -1 : 0; } else if (v >= len) v = step < 0 ? len - 1 : len;
    return v;
  };
  const s = adjust(start);
  const e = adjust(stop);
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

/** Reference slice of `x` (shape, data): per axis the visited index list (all when absent). */
function sliceRef(shape: readonly number[], data: Float32Array, spec: Record<number, [number, number, number]>): { want: Float32Array; shape: number[] } {
  const lists = shape.map((d, a) => (spec[a] ? pySlice(spec[a]![0], spec[a]![1], spec[a]![2], d) : [...Array(d).keys()]));
  const outShape = lists.map((l) => l.length);
  return { want: mapIndices(shape, data, outShape, (o) => o.map((v, a) => lists[a]![v]!)), shape: outShape };
}

describe('stridedSlice and take with defaultSchedule', () => {
  it.each(ALL_TARGETS)('slices with negative indices and steps, clamping, axes on %s', async (target) => {
    const x = input([4, 5, 6], 1, 'x');
    const inputs = [x];
    const big = 2 ** 31 - 1;
    const specs: [string, te.Tensor, Record<number, [number, number, number]>][] = [
      ['x[1:3]', ops.stridedSlice(x.t, [1], [3]), { 0: [1, 3, 1] }],
      ['x[:, -4:-1, ::2]', ops.stridedSlice(x.t, [0, -4, 0], [4, -1, 6], [1, 1, 2]), { 1: [-4, -1, 1], 2: [0, 6, 2] }],
      ['x[::-1] (reverse, clamped ends)', ops.stridedSlice(x.t, [-1], [-big], [-1]), { 0: [-1, -big, -1] }],
      ['x[..., 5:0:-2] via axes [-1]', ops.stridedSlice(x.t, [5], [0], [-2], [-1]), { 2: [5, 0, -2] }],
      ['x[1:100:3] on axis 2, x[-100:2] on axis 1', ops.stridedSlice(x.t, [1, -100], [100, 2], [3, 1], [2, 1]), { 2: [1, 100, 3], 1: [-100, 2, 1] }],
      ['x[:, 4:-7:-1]', ops.stridedSlice(x.t, [4], [-big], [-1], [1]), { 1: [4, -big, -1] }],
    ];
    await checkCases(target, inputs, specs.map(([name, out, spec]): Case => ({ name, out, ...sliceRef(x.t.dims, x.data as Float32Array, spec) })));
  });

  it.each(ALL_TARGETS)('take: tensor indices (negative ones too), constant lists, scalar index on %s', async (target) => {
    const x = input([3, 4, 5], 2, 'x');
    const idx = intInput([2, 3], [0, 2, 1, -1, 3, -4], 'idx');
    const inputs = [x, idx];
    const pos = [0, 2, 1, 3, 3, 0]; // idx with negatives wrapped for axis 1 (size 4)
    const ref = (fn: (X: tf.Tensor) => tf.Tensor): Float32Array => tfRef(inputs, (X) => fn(X!)) as Float32Array;
    await checkCases(target, inputs, [
      { name: 'take idx [2,3] on axis 1', out: ops.take(x.t, idx.t, 1), want: ref((X) => tf.gather(X, tf.tensor2d(pos, [2, 3], 'int32'), 1)), shape: [3, 2, 3, 5] },
      { name: 'take list on axis -1', out: ops.take(x.t, [4, 0, -1, 2], -1), want: ref((X) => tf.gather(X, [4, 0, 4, 2], 2)), shape: [3, 4, 4] },
      { name: 'take list on axis 0', out: ops.take(x.t, [2], 0), want: ref((X) => tf.gather(X, [2], 0)), shape: [1, 4, 5] },
      { name: 'take scalar index removes the axis', out: ops.take(x.t, -2, 1), want: ref((X) => tf.squeeze(tf.gather(X, [2], 1), [1])), shape: [3, 5] },
    ]);
  });
});

describe('slicing errors name the op and the problem', () => {
  const x = te.placeholder([4, 5], 'float32', 'x');
  it('stridedSlice', () => {
    expectOpError(() => ops.stridedSlice(x, [1, 1], [2]), 'stridedSlice', 'end must have as many entries as begin (2)');
    expectOpError(() => ops.stridedSlice(x, [0], [4], [0]), 'stridedSlice', 'non-zero integers');
    expectOpError(() => ops.stridedSlice(x, [3], [1]), 'stridedSlice', 'axis 0 (size 4) sliced 3:1:1 is empty');
    expectOpError(() => ops.stridedSlice(x, [0], [1], [1], [2]), 'stridedSlice', 'out of range');
    expectOpError(() => ops.stridedSlice(x, [0, 0], [1, 1], [1, 1], [1, -1]), 'stridedSlice', 'names an axis twice');
    expectOpError(() => ops.stridedSlice(x, [0, 0, 0], [1, 1, 1]), 'stridedSlice', '3 begin values for a 2-D tensor');
    expectOpError(() => ops.stridedSlice(x, 0 as unknown as number[], [1]), 'stridedSlice', 'begin must be an array');
  });
  it('take', () => {
    expectOpError(() => ops.take(x, [5], 0), 'take', 'index 5 (entry 0) is out of range for axis 0 of size 4');
    expectOpError(() => ops.take(x, [-5], 0), 'take', 'out of range');
    expectOpError(() => ops.take(x, te.placeholder([2], 'float32', 'f'), 0), 'take', 'must be int32');
    expectOpError(() => ops.take(x, [0], 2), 'take', 'axis 2 is out of range');
    expectOpError(() => ops.take(x, [], 0), 'take', 'indices is empty');
  });
});
