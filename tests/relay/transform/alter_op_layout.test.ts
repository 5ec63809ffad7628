// tests/relay/transform/alter_op_layout.test.ts — AlterOpLayout: wasm convolutions become packed
// NCHW[x]c convolutions with weights packed at build time; the ResNet-style model built that way
// still matches onnxruntime-node.

import { describe, expect, it } from 'vitest';
import { postOrder } from '../../../relay/functor.js';
import { call, constant, func, irModule, opName, variable } from '../../../relay/nodes.js';
import { AlterOpLayout } from '../../../relay/transform/alter_op_layout.js';
import { tensorType } from '../../../relay/ty.js';
import { compareWithOrt } from '../models/run_model.js';
import { resnet } from '../models/zoo.js';

describe('AlterOpLayout', () => {
  const x = variable('x', tensorType([1, 8, 6, 6]));
  const conv = call('nn.conv2d', [x, constant(new Float32Array(16 * 8 * 9), [16, 8, 3, 3])], { strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 });
  const mod = irModule(func([x], call('nn.relu', [conv])));

  it('packs a wasm conv2d and its weight; the relu after it runs packed', () => {
    const out = AlterOpLayout('wasm').run(mod);
    expect(postOrder(out.main.body).map(opName).filter(Boolean)).toEqual(['layout_transform', 'nn.contrib_conv2d_NCHWc', 'nn.relu', 'layout_transform']);
    const packed = postOrder(out.main.body).find((e) => e.kind === 'Constant');
    expect(packed?.kind === 'Constant' && packed.data.shape).toEqual([2, 1, 3, 3, 8, 8]);
    expect(out.main.body.checkedType).toEqual(tensorType([1, 16, 6, 6]));
  });

  it('leaves webgpu modules alone', () => {
    expect(AlterOpLayout('webgpu').run(mod)).toBe(mod);
  });

  it('keeps the ResNet-style model matching onnxruntime-node', async () => {
    const m = resnet();
    const { errors, report } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1', true);
    expect(errors[0]).toBeLessThan(1e-4);
    expect(report.passes.map((p) => p.name)).toContain('AlterOpLayout');
  }, 120_000);
});
