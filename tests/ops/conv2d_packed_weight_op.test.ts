// tests/ops/conv2d_packed_weight_op.test.ts — ops.conv2dPackedWeight (ops/nn/conv2d_packed.ts, the packed-weight conv
// lavapipe runs): its output shape and attrs (channels from the weight's blocks or given), and each bad input alone
// with the error naming it — ranks, dtypes, channels that disagree, output channels the blocks cannot hold, bad
// strides / dilation / padding, an empty output on either axis. conv2d_packed_webgpu.test.ts checks the values.

import { describe, expect, it } from 'vitest';
import { conv2dPackedWeight } from '../../ops/nn/conv2d_packed.js';
import { placeholder } from '../../schedule/tensor.js';

const X = placeholder([1, 3, 10, 12], 'float32', 'X');
const W = placeholder([2, 3, 3, 3, 8], 'float32', 'Wp');

describe('conv2dPackedWeight', () => {
  it('[N, O, OH, OW] with O the given channels or the blocks\' total, OH/OW as ONNX Conv; the attrs carry the workload', () => {
    const Y = conv2dPackedWeight(X, W, { channels: 13, strides: [2, 1], padding: [1, 0, 2, 1], dilation: [1, 2] });
    // OH = ⌊(10 + 3 − 3) / 2⌋ + 1 = 6; OW = ⌊(12 + 1 − 5) / 1⌋ + 1 = 9.
    expect(Y.dims).toEqual([1, 13, 6, 9]);
    expect(Y.op.kind === 'compute' && Y.op.tag).toBe('conv2d_nchw_packed');
    expect(Y.op.kind === 'compute' && Y.op.attrs).toEqual({ data_shape: [1, 3, 10, 12], kernel_shape: [2, 3, 3, 3, 8], strides: [2, 1], padding: [1, 0, 2, 1], dilation: [1, 2], channels: 13 });
    expect(conv2dPackedWeight(X, W).dims).toEqual([1, 16, 8, 10]);
  });

  it('each bad input alone names the problem', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => conv2dPackedWeight(placeholder([3, 10, 12], 'float32', 'X3'), W), /^conv2dPackedWeight: data X3 must be 4-D \(NCHW\)/],
      [() => conv2dPackedWeight(X, placeholder([2, 3, 3, 3], 'float32', 'W4')), /^conv2dPackedWeight: weight W4 must be 5-D \(OIHW\{ob\}o\)/],
      [() => conv2dPackedWeight(placeholder([1, 3, 10, 12], 'int32', 'Xi'), W), /^conv2dPackedWeight: data Xi must be float32, got int32/],
      [() => conv2dPackedWeight(X, placeholder([2, 4, 3, 3, 8], 'float32', 'W4c')), /^conv2dPackedWeight: data has 3 channels but the weight W4c is for 4$/],
      [() => conv2dPackedWeight(X, W, { channels: 17 }), /^conv2dPackedWeight: 17 output channels need 3 blocks of 8; the weight Wp \[2, 3, 3, 3, 8\] has 2$/],
      [() => conv2dPackedWeight(X, W, { channels: 8 }), /^conv2dPackedWeight: 8 output channels need 1 blocks of 8/],
      [() => conv2dPackedWeight(X, W, { channels: 12.5 }), /^conv2dPackedWeight: 12\.5 output channels need 2 blocks of 8/],
      [() => conv2dPackedWeight(X, W, { channels: 0 }), /^conv2dPackedWeight: 0 output channels need 0 blocks of 8/],
      [() => conv2dPackedWeight(X, W, { strides: [0, 1] }), /^conv2dPackedWeight: strides must be integers ≥ 1, got \[0,1\]/],
      [() => conv2dPackedWeight(X, W, { dilation: [1, 2, 3] as never }), /^conv2dPackedWeight: dilation must be a number or \[h, w\], got \[1,2,3\]/],
      [() => conv2dPackedWeight(X, W, { padding: [1, -1, 0, 0] }), /^conv2dPackedWeight: padding must be non-negative integers, got \[1,-1,0,0\]/],
      [() => conv2dPackedWeight(placeholder([1, 3, 2, 12], 'float32', 'Xh'), W), /^conv2dPackedWeight: output height would be 0 \(input 2 \+ padding 0\+0, dilated kernel 3, stride 1\)/],
      [() => conv2dPackedWeight(placeholder([1, 3, 10, 1], 'float32', 'Xw'), W, { dilation: [1, 2] }), /^conv2dPackedWeight: output width would be -3 \(input 1 \+ padding 0\+0, dilated kernel 5, stride 1\)/],
    ];
    for (const [f, re] of cases) expect(f, String(re)).toThrow(re);
    // 9 to 16 channels fit two blocks of 8.
    for (const channels of [9, 16]) expect(conv2dPackedWeight(X, W, { channels }).dims[1]).toBe(channels);
  });
});
