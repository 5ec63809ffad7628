// tests/relay/transform/layout_propagation_broadcast.test.ts — how AlterOpLayout's propagation (relay/transform/
// layout_propagation.ts) places a broadcast op (add) next to a packed conv, on hand-made graphs where the values
// would be the same either way and only the layouts show the rule: the add runs packed when a packed operand already
// has the output's shape — the other operand, a graph input of the same shape, is packed to meet it — and in NCHW when
// the packed operand is the one that broadcasts (a pooled [1, C, 1, 1] against a [1, C, H, W] input: packing the
// large input would cost more than unpacking the small one); a scalar operand is used as it is (no reshape).
// layout_propagation.test.ts checks whole models against onnxruntime-node.

import { describe, expect, it } from 'vitest';
import { postOrder } from '../../../relay/functor.js';
import { call, constant, func, irModule, opName, scalar, typeOf, variable, type Call, type Expr } from '../../../relay/nodes.js';
import { AlterOpLayout } from '../../../relay/transform/alter_op_layout.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { asTensor, tensorType } from '../../../relay/ty.js';

const x = variable('x', tensorType([1, 8, 7, 7]));
// A 1×1 conv (never Winograd), 8 → 16 channels, 7×7: packed NCHW8c by AlterOpLayout('wasm').
const conv = call('nn.conv2d', [x, constant(new Float32Array(16 * 8).fill(0.5), [16, 8, 1, 1])], { strides: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 });

/** The altered graph's add: its operands' shapes and the ops in order. */
function addOf(body: Expr, params: ReturnType<typeof variable>[]): { operands: number[][]; ops: string[]; operandKinds: string[] } {
  const out = AlterOpLayout('wasm').run(InferType.run(irModule(func([x, ...params], body))));
  const nodes = postOrder(out.main.body);
  const add = nodes.find((e): e is Call => e.kind === 'Call' && opName(e) === 'add')!;
  expect(add).toBeDefined();
  return {
    operands: add.args.map((a) => [...asTensor(typeOf(a), 'test').shape]),
    operandKinds: add.args.map((a) => (a.kind === 'Call' ? opName(a)! : a.kind)),
    ops: nodes.map(opName).filter((n): n is string => n !== undefined),
  };
}

describe('a broadcast op beside a packed conv', () => {
  it('a graph input of the output\'s shape is packed to meet the packed conv: the add runs NCHW8c', () => {
    const y = variable('y', tensorType([1, 16, 7, 7]));
    const r = addOf(call('add', [conv, y]), [y]);
    expect(r.operands).toEqual([[1, 2, 7, 7, 8], [1, 2, 7, 7, 8]]);
    expect(r.operandKinds).toEqual(['nn.contrib_conv2d_NCHWc', 'layout_transform']);
  });

  it('a packed operand that broadcasts (pooled to [1, 16, 1, 1]) against a [1, 16, 7, 7] input: the add runs NCHW', () => {
    const y = variable('y', tensorType([1, 16, 7, 7]));
    const r = addOf(call('add', [call('nn.global_avg_pool2d', [conv]), y]), [y]);
    expect(r.operands).toEqual([[1, 16, 1, 1], [1, 16, 7, 7]]);
    expect(r.operandKinds).toEqual(['layout_transform', 'Var']);
    // The pool runs packed; one transform unpacks its [1, 2, 1, 1, 8], the large input is never packed.
    expect(r.ops.filter((o) => o === 'layout_transform')).toHaveLength(2);
  });

  it('a scalar operand is used as it is: no reshape', () => {
    const r = addOf(call('add', [conv, scalar(1.5)]), []);
    expect(r.operands).toEqual([[1, 2, 7, 7, 8], []]);
    expect(r.operandKinds).toEqual(['nn.contrib_conv2d_NCHWc', 'Constant']);
    expect(r.ops).not.toContain('reshape');
  });
});
