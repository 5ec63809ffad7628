// tests/relay/transform/fuse_ops.test.ts — FuseOps by TVM's OpPattern rules: elementwise epilogues
// fused into conv2d/dense, elementwise chains fused, opaque ops alone, producers with two consumers
// and shape-growing broadcasts kept out of anchors.

import { describe, expect, it } from 'vitest';
import { postOrder } from '../../../relay/functor.js';
import { call, constant, func, irModule, scalar, variable, type Expr, type IRModule } from '../../../relay/nodes.js';
import { FuseOps } from '../../../relay/transform/fuse_ops.js';
import { tensorType } from '../../../relay/ty.js';

const CONV = { strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 };

/** The fused functions' operator lists, in execution order. */
function groups(m: IRModule): string[][] {
  return postOrder(m.main.body, false)
    .filter((e): e is Extract<Expr, { kind: 'Call' }> => e.kind === 'Call' && typeof e.op !== 'string')
    .map((c) => postOrder((c.op as Extract<Expr, { kind: 'Function' }>).body).flatMap((e) => (e.kind === 'Call' && typeof e.op === 'string' ? [e.op] : [])));
}

describe('FuseOps', () => {
  const x = variable('x', tensorType([1, 2, 4, 4]));
  const w = constant(new Float32Array(2 * 2 * 9), [2, 2, 3, 3]);
  const bias = constant(new Float32Array(2), [2, 1, 1]);

  it('fuses bias, activation and a residual add into the conv as its epilogue', () => {
    const conv = call('nn.conv2d', [x, w], CONV);
    const body = call('add', [call('nn.relu', [call('add', [conv, bias])]), x]);
    expect(groups(FuseOps.run(irModule(func([x], body))))).toEqual([['nn.conv2d', 'add', 'nn.relu', 'add']]);
  });

  it('keeps softmax (opaque) in a function of its own', () => {
    const body = call('nn.softmax', [call('exp', [call('nn.relu', [x])])], { axis: -1 });
    expect(groups(FuseOps.run(irModule(func([x], body))))).toEqual([['nn.relu', 'exp'], ['nn.softmax']]);
  });

  it('does not fuse a producer that has two consumers', () => {
    const conv = call('nn.conv2d', [x, w], CONV);
    const body = call('multiply', [call('nn.relu', [conv]), call('sigmoid', [conv])]);
    const g = groups(FuseOps.run(irModule(func([x], body))));
    expect(g[0]).toEqual(['nn.conv2d']);
    expect(g.flat().sort()).toEqual(['multiply', 'nn.conv2d', 'nn.relu', 'sigmoid']);
  });

  it('fuses an elementwise diamond holding every consumer of the conv (hard-swish) into the conv', () => {
    const conv = call('nn.conv2d', [x, w], CONV);
    const hswish = call('divide', [call('multiply', [conv, call('clip', [call('add', [conv, scalar(3)])], { a_min: 0, a_max: 6 })]), scalar(6)]);
    expect(groups(FuseOps.run(irModule(func([x], hswish))))).toEqual([['nn.conv2d', 'add', 'clip', 'multiply', 'divide']]);
  });

  it('fuses the hard-swish diamond into a packed conv when a layout_transform follows it, the transform apart', () => {
    const xp = variable('xp', tensorType([1, 1, 4, 4, 2]));
    const conv = call('nn.contrib_conv2d_NCHWc', [xp, constant(new Float32Array(2 * 2 * 9), [1, 1, 3, 3, 2, 2])], { strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1] });
    const hswish = call('divide', [call('multiply', [conv, call('clip', [call('add', [conv, scalar(3)])], { a_min: 0, a_max: 6 })]), scalar(6)]);
    const out = call('layout_transform', [hswish], { src_layout: 'NCHW2c', dst_layout: 'NCHW' });
    expect(groups(FuseOps.run(irModule(func([xp], out))))).toEqual([['nn.contrib_conv2d_NCHWc', 'add', 'clip', 'multiply', 'divide'], ['layout_transform']]);
    // After an elementwise chain that is no anchor's epilogue, the transform still joins the chain.
    const chain = call('layout_transform', [call('nn.relu', [call('add', [xp, scalar(1)])])], { src_layout: 'NCHW2c', dst_layout: 'NCHW' });
    expect(groups(FuseOps.run(irModule(func([xp], chain))))).toEqual([['add', 'nn.relu', 'layout_transform']]);
  });

  it('defers every injective op after an elementwise group until the diamonds are merged (TVM phase 1), not only layout_transform', () => {
    const conv = call('nn.conv2d', [x, w], CONV);
    const hswish = call('divide', [call('multiply', [conv, call('clip', [call('add', [conv, scalar(3)])], { a_min: 0, a_max: 6 })]), scalar(6)]);
    for (const [op, attrs] of [['reshape', { newshape: [1, 32] }], ['transpose', { axes: [0, 2, 3, 1] }]] as const) {
      const out = call(op, [hswish], attrs);
      expect(groups(FuseOps.run(irModule(func([x], out)))), op).toEqual([['nn.conv2d', 'add', 'clip', 'multiply', 'divide'], [op]]);
    }
    // Gelu (a diamond x·(erf(x/√2) + 1)·0.5) after an injective chain, then a reshape: the diamond joins the
    // chain and the reshape joins it after (the transformer block's MLP: one kernel fewer).
    const y = variable('y', tensorType([2, 8]));
    const r = call('add', [call('reshape', [y], { newshape: [1, 2, 8] }), constant(new Float32Array(8), [8])]);
    const gelu = call('multiply', [call('multiply', [r, call('add', [call('erf', [call('divide', [r, scalar(Math.SQRT2)])]), scalar(1)])]), scalar(0.5)]);
    const g = groups(FuseOps.run(irModule(func([y], call('reshape', [gelu], { newshape: [2, 8] })))));
    expect(g).toEqual([['reshape', 'add', 'divide', 'erf', 'add', 'multiply', 'multiply', 'reshape']]);
    // After an elementwise chain that is no anchor's epilogue, the deferred reshape still joins the chain.
    const chain = call('reshape', [call('nn.relu', [call('add', [x, scalar(1)])])], { newshape: [1, 32] });
    expect(groups(FuseOps.run(irModule(func([x], chain))))).toEqual([['add', 'nn.relu', 'reshape']]);
  });

  it('keeps a broadcast that grows the anchor output out of the anchor (squeeze-excite scale)', () => {
    const pooled = call('nn.global_avg_pool2d', [x]);
    const gate = call('sigmoid', [call('nn.conv2d', [pooled, constant(new Float32Array(4), [2, 2, 1, 1])], { ...CONV, padding: [0, 0, 0, 0] })]);
    const g = groups(FuseOps.run(irModule(func([x], call('multiply', [x, gate])))));
    expect(g).toEqual([['nn.global_avg_pool2d'], ['nn.conv2d', 'sigmoid'], ['multiply']]);
  });

  it('inlines scalar constants and passes tensors as parameters', () => {
    const body = call('divide', [call('add', [x, scalar(3)]), scalar(6)]);
    const fused = FuseOps.run(irModule(func([x], body)));
    const c = fused.main.body as Extract<Expr, { kind: 'Call' }>;
    expect(c.args).toEqual([x]);
    expect((c.op as Extract<Expr, { kind: 'Function' }>).params.length).toBe(1);
  });
});
