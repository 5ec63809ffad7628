// tests/relay/transform/winograd_conv_candidate.test.ts — winogradConv (relay/transform/conv_impl.ts), which convs
// AlterOpLayout may run as Winograd F(m×m, 3×3): an nn.conv2d with a constant float32 [O, C, 3, 3] weight, groups 1,
// strides 1 and dilation 1 on both axes (TVM arm_cpu/x86 _alter_conv2d_layout's condition). Hand-made typed calls,
// one part changed at a time from a candidate; conv_impl.test.ts covers what is then chosen.

import { describe, expect, it } from 'vitest';
import { call, constant, variable, type Attrs, type Call } from '../../../relay/nodes.js';
import { winogradConv } from '../../../relay/transform/conv_impl.js';
import { inferExpr } from '../../../relay/transform/infer_type.js';
import { tensorType } from '../../../relay/ty.js';

interface Part { readonly KH?: number; readonly KW?: number; readonly strides?: number[]; readonly dilation?: number[]; readonly groups?: number; readonly weight?: 'const' | 'runtime' | 'int32'; readonly op?: string }

/** nn.conv2d on data [1, 4, 9, 7] with an [8, 4/groups, KH, KW] weight, padding [1, 0, 2, 1]; typed. */
function conv({ KH = 3, KW = 3, strides = [1, 1], dilation = [1, 1], groups = 1, weight = 'const', op = 'nn.conv2d' }: Part): Call {
  const x = variable('x', tensorType([1, 4, 9, 7]));
  const shape = [8, 4 / groups, KH, KW];
  const n = shape.reduce((a, b) => a * b, 1);
  const w = weight === 'runtime' ? variable('w', tensorType(shape)) : constant(weight === 'int32' ? new Int32Array(n) : new Float32Array(n), shape);
  const attrs: Attrs = { strides, padding: [1, 0, 2, 1], dilation, groups };
  // An int32 weight or another op does not type as nn.conv2d: left untyped (winogradConv refuses it before reading types).
  return op === 'nn.conv2d' && weight !== 'int32' ? inferExpr(call(op, [x, w], attrs)) : call(op, [x, w], attrs);
}

describe('winogradConv', () => {
  it('a 3×3, stride 1, dilation 1, groups 1 conv with a constant float32 weight: its data shape, O, C, padding', () => {
    expect(winogradConv(conv({}))).toEqual({ data: [1, 4, 9, 7], O: 8, C: 4, padding: [1, 0, 2, 1] });
  });

  it('not when any one part differs', () => {
    const parts: [string, Part][] = [
      ['groups 2', { groups: 2 }], ['groups 4 (depthwise)', { groups: 4 }],
      ['5×5', { KH: 5, KW: 5 }], ['1×3', { KH: 1 }], ['3×1', { KW: 1 }], ['3×5', { KW: 5 }], ['1×1', { KH: 1, KW: 1 }],
      ['stride [2, 1]', { strides: [2, 1] }], ['stride [1, 2]', { strides: [1, 2] }], ['stride [2, 2]', { strides: [2, 2] }],
      ['dilation [2, 1]', { dilation: [2, 1] }], ['dilation [1, 2]', { dilation: [1, 2] }],
      ['a runtime weight', { weight: 'runtime' }], ['an int32 weight', { weight: 'int32' }], ['another op', { op: 'nn.conv2d_transpose' }],
    ];
    for (const [what, p] of parts) expect(winogradConv(conv(p)), what).toBeUndefined();
  });
});
