// tests/relay/transform/alter_op_layout.test.ts — AlterOpLayout: wasm convolutions become packed
// NCHW[x]c convolutions with weights packed at build time; the ResNet-style model built that way
// still matches onnxruntime-node; depthwise convolutions (multiplier 1) become packed depthwise ones, and the
// MobileNet-style model built that way matches onnxruntime-node too.

import { describe, expect, it } from 'vitest';
import { postOrder } from '../../../relay/functor.js';
import { call, constant, func, irModule, opName, variable } from '../../../relay/nodes.js';
import { AlterOpLayout } from '../../../relay/transform/alter_op_layout.js';
import { tensorType } from '../../../relay/ty.js';
import { compareWithOrt } from '../models/run_model.js';
import { mobilenet, resnet } from '../models/zoo.js';

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

  it('packs a depthwise conv2d (multiplier 1) after a packed conv at its block; a multiplier or C % 4 ≠ 0 in NCHW stays NCHW', () => {
    const dwAttrs = (g: number) => ({ strides: [2, 2], padding: [1, 0, 1, 1], dilation: [1, 1], groups: g });
    const dwW = new Float32Array(16 * 9).map((_, i) => i);
    const dw = call('nn.conv2d', [conv, constant(dwW, [16, 1, 3, 3])], dwAttrs(16));
    const out = AlterOpLayout('wasm').run(irModule(func([x], call('nn.relu', [dw]))));
    expect(postOrder(out.main.body).map(opName).filter(Boolean)).toEqual(['layout_transform', 'nn.contrib_conv2d_NCHWc', 'nn.contrib_depthwise_conv2d_NCHWc', 'nn.relu', 'layout_transform']);
    const consts = postOrder(out.main.body).filter((e) => e.kind === 'Constant');
    const packedDw = consts.find((e) => e.kind === 'Constant' && e.data.shape.length === 6 && e.data.shape[4] === 1);
    expect(packedDw?.kind === 'Constant' && packedDw.data.shape).toEqual([2, 1, 3, 3, 1, 8]);
    // W[c, 0, y, x] at [c/8, 0, y, x, 0, c%8]: channel 9, tap (1, 2) → [1, 0, 1, 2, 0, 1].
    expect(packedDw?.kind === 'Constant' && (packedDw.data.values as Float32Array)[(((1 * 3 + 1) * 3 + 2) * 8) + 1]).toBe(dwW[(9 * 3 + 1) * 3 + 2]);
    expect(out.main.body.checkedType).toEqual(tensorType([1, 16, 3, 3]));
    // Unpacked input: C = 12 packs at 4 ('nchwc' mode); a channel multiplier, or C = 6, keeps nn.conv2d.
    const y = (c: number) => variable('y', tensorType([1, c, 5, 5]));
    const one = (c: number, o: number) => { const v = y(c); return irModule(func([v], call('nn.conv2d', [v, constant(new Float32Array(o * 9), [o, 1, 3, 3])], dwAttrs(c)))); };
    expect(postOrder(AlterOpLayout('wasm').run(one(12, 12)).main.body).map(opName).filter(Boolean)).toEqual(['layout_transform', 'nn.contrib_depthwise_conv2d_NCHWc', 'layout_transform']);
    expect(postOrder(AlterOpLayout('wasm').run(one(12, 24)).main.body).map(opName).filter(Boolean)).toEqual(['nn.conv2d']);
    expect(postOrder(AlterOpLayout('wasm').run(one(6, 6)).main.body).map(opName).filter(Boolean)).toEqual(['nn.conv2d']);
  });

  it('keeps the MobileNet-style model (depthwise 3×3 and 5×5 stride 2, squeeze-excite) matching onnxruntime-node, every conv packed', async () => {
    const m = mobilenet();
    for (const mode of ['nchwc', 'auto'] as const) {
      const { errors } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1', mode);
      expect(errors[0], mode).toBeLessThan(1e-4);
    }
  }, 120_000);

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
