// tests/ops/scalar_tensors.test.ts — 0-D tensors (ONNX scalars) through the library: a 0-D operand
// broadcasts against anything, reshape to and from 0-D, a scalar gather to 0-D, on wasm and (0-D
// outputs too, since a 0-D stage gets a singleton axis) WebGPU; checked against plain JS.

import { afterAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import { ALL_TARGETS, checkCases, input } from './ops_harness.js';

afterAll(releaseWebGPU);

describe('0-D tensors', () => {
  it.each(ALL_TARGETS)('a 0-D operand broadcasts, and a reshape makes it [1] on %s', async (target) => {
    const x = input([2, 3], 1, 'x');
    const s = input([], 2, 's');
    const v = s.data[0]!;
    await checkCases(target, [x, s], [
      { name: 'x + s', out: ops.add(x.t, s.t), want: Float32Array.from(x.data, (a) => a + v), shape: [2, 3] },
      { name: 'where(s, x, 0)', out: ops.where(s.t, x.t, 0), want: Float32Array.from(x.data, (a) => (v !== 0 ? a : 0)) },
      { name: 'reshape s to [1, 1]', out: ops.reshape(s.t, [1, 1]), want: [v], shape: [1, 1] },
    ]);
  });

  it.each(ALL_TARGETS)('0-D results: reshape to [], scalar take, sum of everything on %s', async (target) => {
    const x = input([4], 3, 'x');
    await checkCases(target, [x], [
      { name: 'take(x, -1)', out: ops.take(x.t, -1), want: [x.data[3]!], shape: [] },
      { name: 'reshape(take(x, [2]), [])', out: ops.reshape(ops.take(x.t, [2]), []), want: [x.data[2]!], shape: [] },
      { name: 'squeeze to []', out: ops.squeeze(ops.stridedSlice(x.t, [1], [2])), want: [x.data[1]!], shape: [] },
      { name: 'sum(x)', out: ops.sum(x.t), want: [Array.from(x.data).reduce((a, b) => a + b, 0)], shape: [], tol: 1e-6 },
    ]);
  });
});
