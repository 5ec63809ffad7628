// tests/relay/transform/infer_type.test.ts — InferType: shapes of convolutions, pooling (ceil mode),
// broadcasting, reductions and slices as TVM/ONNX define them; errors name the op and the source node.

import { describe, expect, it } from 'vitest';
import { call, constant, func, irModule, variable, type Expr } from '../../../relay/nodes.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { printType, tensorType } from '../../../relay/ty.js';

function typeText(body: Expr, params: ReturnType<typeof variable>[]): string {
  return printType(InferType.run(irModule(func(params, body))).main.body.checkedType!);
}

describe('InferType', () => {
  const x = variable('x', tensorType([1, 4, 7, 9]));
  it('gives conv2d output sizes with stride, dilation, asymmetric padding and groups', () => {
    const w = constant(new Float32Array(8 * 2 * 3 * 3), [8, 2, 3, 3]);
    expect(typeText(call('nn.conv2d', [x, w], { strides: [2, 3], padding: [1, 0, 0, 2], dilation: [2, 1], groups: 2 }), [x])).toBe('Tensor[(1, 8, 2, 3), float32]');
  });

  it('gives conv2d_transpose output sizes with output padding', () => {
    const w = constant(new Float32Array(4 * 3 * 3 * 3), [4, 3, 3, 3]);
    expect(typeText(call('nn.conv2d_transpose', [x, w], { strides: [2, 2], padding: [1, 1, 1, 1], output_padding: [1, 0], dilation: [1, 1], groups: 1 }), [x]))
      .toBe('Tensor[(1, 3, 14, 17), float32]');
  });

  it('rounds pooling up in ceil mode but never starts a window in the end padding', () => {
    const p = { pool_size: [3, 3], strides: [2, 2], padding: [0, 0, 0, 0], ceil_mode: true };
    expect(typeText(call('nn.max_pool2d', [x], p), [x])).toBe('Tensor[(1, 4, 3, 4), float32]');
  });

  it('broadcasts, reduces and slices', () => {
    const y = variable('y', tensorType([4, 1, 9]));
    expect(typeText(call('add', [x, y]), [x, y])).toBe('Tensor[(1, 4, 7, 9), float32]');
    expect(typeText(call('mean', [x], { axis: [2, -1], keepdims: true }), [x])).toBe('Tensor[(1, 4, 1, 1), float32]');
    expect(typeText(call('strided_slice', [x], { begin: [1, -1], end: [100, 0], strides: [2, -3], axes: [2, 3] }), [x])).toBe('Tensor[(1, 4, 3, 3), float32]');
  });

  it('names the op and the node when shapes do not fit', () => {
    const y = variable('y', tensorType([3, 9]));
    expect(() => InferType.run(irModule(func([x, y], call('add', [x, y], {}, 'Add_7'))))).toThrow(/add: shapes \[1, 4, 7, 9\] and \[3, 9\] do not broadcast.*node 'Add_7'/);
    const w = constant(new Float32Array(8 * 3), [8, 3, 1, 1]);
    expect(() => InferType.run(irModule(func([x], call('nn.conv2d', [x, w], { groups: 1 }))))).toThrow(/nn.conv2d: weight \[8, 3, 1, 1\] expects 3 input channels/);
  });
});
