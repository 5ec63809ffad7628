// tests/relay/transform/conv_gemm_rule.test.ts — AlterOpLayout 'auto' runs a strided groups-1 conv left in NCHW as
// im2col + gemm (nn.contrib_conv2d_gemm_without_weight_transform, weight reshaped to [O, C·KH·KW]), and a strided
// packed one with input blocks of ≥ 4 channels, and an unstrided packed 1×1 one on ≥ 16 output pixels, as
// nn.contrib_conv2d_gemm_NCHWc (the packed weight as panels [O/ocb, C·KH·KW, ocb]); other unstrided ones, other modes
// and `gemm: false` keep theirs; models with such convs (bias, relu, a residual add after; the zoo's ResNet and
// MobileNet) built that way match onnxruntime-node and run the gemm templates.

import { describe, expect, it } from 'vitest';
import { postOrder } from '../../../relay/functor.js';
import { call, constant, func, irModule, opName, variable } from '../../../relay/nodes.js';
import { GEMM_CONV, GEMM_CONV_NCHWC } from '../../../relay/op/conv2d_gemm.js';
import { AlterOpLayout } from '../../../relay/transform/alter_op_layout.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { tensorArg } from '../../../autotune/task.js';
import { tensorType } from '../../../relay/ty.js';
import { weights } from '../models/onnx_builder.js';
import { compareWithOrt } from '../models/run_model.js';
import { finish, Graph, mobilenet, resnet } from '../models/zoo.js';
import { rng } from '../models/onnx_builder.js';

const convMod = (stride: number, W = 70, C = 3, R = 3, H = 20) => {
  const x = variable('x', tensorType([1, C, H, W]));
  const p = (R - 1) / 2;
  const conv = call('nn.conv2d', [x, constant(new Float32Array(8 * C * R * R).map((_, i) => i), [8, C, R, R])], { strides: [stride, stride], padding: [p, p, p, p], dilation: [1, 1], groups: 1 });
  return InferType.run(irModule(func([x], call('nn.relu', [conv]))));
};
const opsOf = (m: ReturnType<typeof convMod>): string[] => postOrder(m.main.body).map(opName).filter(Boolean) as string[];

describe('AlterOpLayout: strided NCHW convs as im2col + gemm', () => {
  it("'auto' turns a strided conv whose output stays NCHW (35 wide) into the gemm conv on the reshaped weight", () => {
    const out = AlterOpLayout('wasm', 'auto').run(convMod(2));
    expect(opsOf(out)).toEqual(['reshape', GEMM_CONV, 'nn.relu']);
    const g = postOrder(out.main.body).find((e) => e.kind === 'Call' && e.op === GEMM_CONV);
    expect(g?.kind === 'Call' && g.attrs['kernel_size']).toEqual([3, 3]);
    expect(g?.kind === 'Call' && g.attrs['groups']).toBeUndefined();
    expect(out.main.body.checkedType).toEqual(tensorType([1, 8, 10, 35]));
  });

  it('keeps conv2d for an unstrided conv, a packed one (narrow output), mode nchw / nchwc, gemm: false and webgpu', () => {
    expect(opsOf(AlterOpLayout('wasm', 'auto').run(convMod(1)))).toEqual(['nn.conv2d', 'nn.relu']);
    expect(opsOf(AlterOpLayout('wasm', 'auto').run(convMod(2, 20)))).toContain('nn.contrib_conv2d_NCHWc');
    expect(opsOf(AlterOpLayout('wasm', 'nchw').run(convMod(2)))).toEqual(['nn.conv2d', 'nn.relu']);
    expect(opsOf(AlterOpLayout('wasm', 'nchwc').run(convMod(2)))).toContain('nn.contrib_conv2d_NCHWc');
    expect(opsOf(AlterOpLayout('wasm', 'auto', { gemm: false }).run(convMod(2)))).toEqual(['nn.conv2d', 'nn.relu']);
    expect(opsOf(AlterOpLayout('webgpu', 'auto').run(convMod(2)))).toEqual(['nn.conv2d', 'nn.relu']);
  });

  it("'auto' turns a strided packed conv (narrow output, 8 input channels) into the NCHWc gemm conv on the packed weight's panels", () => {
    const out = AlterOpLayout('wasm', 'auto').run(convMod(2, 20, 8));
    expect(opsOf(out)).toEqual(['layout_transform', GEMM_CONV_NCHWC, 'nn.relu', 'layout_transform']);
    const g = postOrder(out.main.body).find((e) => e.kind === 'Call' && e.op === GEMM_CONV_NCHWC);
    const w = g?.kind === 'Call' ? g.args[1] : undefined;
    expect(w?.kind === 'Constant' && w.data.shape).toEqual([1, 8 * 9, 8]);
    // Panel element [0, k, oi] = W[oi, c, ry, rx] with k = (ry·3 + rx)·8 + c (blocks of 8: one channel block): W's value there is its OIHW index.
    const v = w?.kind === 'Constant' ? (w.data.values as Float32Array) : new Float32Array();
    expect(v[((1 * 3 + 2) * 8 + 5) * 8 + 3]).toBe(((3 * 8 + 5) * 3 + 1) * 3 + 2);
    expect(g?.kind === 'Call' && g.attrs['kernel_size']).toEqual([3, 3]);
    expect(out.main.body.checkedType).toEqual(tensorType([1, 8, 10, 10]));
    // Unstrided 3×3, an unstrided 1×1 on fewer than 16 output pixels (3 × 5), 3 channels (block 1), gemm: false, mode
    // nchwc: the direct packed conv.
    expect(opsOf(AlterOpLayout('wasm', 'auto').run(convMod(1, 20, 8)))).toContain('nn.contrib_conv2d_NCHWc');
    expect(opsOf(AlterOpLayout('wasm', 'auto').run(convMod(1, 5, 8, 1, 3)))).toContain('nn.contrib_conv2d_NCHWc');
    expect(opsOf(AlterOpLayout('wasm', 'auto').run(convMod(1, 20, 3, 1)))).toContain('nn.contrib_conv2d_NCHWc');
    expect(opsOf(AlterOpLayout('wasm', 'auto', { gemm: false }).run(convMod(2, 20, 8)))).toContain('nn.contrib_conv2d_NCHWc');
    expect(opsOf(AlterOpLayout('wasm', 'nchwc').run(convMod(2, 20, 8)))).toContain('nn.contrib_conv2d_NCHWc');
  });

  it("'auto' runs an unstrided packed 1×1 conv on at least 16 output pixels (4 × 4, 20 × 20) as the NCHWc gemm conv", () => {
    for (const [W, H] of [[20, 20], [4, 4]] as const) {
      const out = AlterOpLayout('wasm', 'auto').run(convMod(1, W, 8, 1, H));
      expect(opsOf(out)).toEqual(['layout_transform', GEMM_CONV_NCHWC, 'nn.relu', 'layout_transform']);
      const g = postOrder(out.main.body).find((e) => e.kind === 'Call' && e.op === GEMM_CONV_NCHWC);
      expect(g?.kind === 'Call' && g.attrs['kernel_size']).toEqual([1, 1]);
      expect(out.main.body.checkedType).toEqual(tensorType([1, 8, H, W]));
    }
  });

  it("the zoo's ResNet (a strided 3×3 and 1×1 downsample between packed convs, BN, residual add) runs them as conv2d_gemm_NCHWc and matches onnxruntime-node", async () => {
    const m = resnet();
    const { errors, report } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1', 'auto');
    expect(errors[0]).toBeLessThan(1e-4);
    const gemm = report.kernels.filter((k) => k.anchor?.template === 'conv2d_gemm_NCHWc.wasm');
    expect(gemm.length).toBe(2);
    // The 3×3 one's bias (folded BN) and relu are in its kernel, not kernels of their own.
    expect(gemm.some((k) => /relu/.test(k.name))).toBe(true);
    const two = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=2', 'auto');
    expect(two.errors[0]).toBeLessThan(1e-4);
  }, 120_000);

  it("the zoo's MobileNet (its pointwise 8 → 16 conv on 12 × 12 unstrided 1×1, squeeze-excite's on 1 × 1 not) matches onnxruntime-node", async () => {
    const m = mobilenet();
    for (const target of ['wasm -threads=1', 'wasm -threads=2']) {
      const { errors, report } = await compareWithOrt(m.bytes, m.inputs, target, 'auto');
      expect(errors[0], target).toBeLessThan(1e-4);
      const gemm = report.kernels.filter((k) => k.anchor?.template === 'conv2d_gemm_NCHWc.wasm');
      expect(gemm.map((k) => k.anchor?.args[1])).toEqual([tensorArg([2, 1, 1, 1, 8, 8])]);
    }
  }, 120_000);

  it('a model of strided convs (7×7 and 3×3, bias, relu, a residual add) built with it matches onnxruntime-node', async () => {
    const g = new Graph(rng(7));
    const c1 = g.one('Relu', [g.conv('x', 3, 8, 7, { stride: 2 })]);
    const c2 = g.conv(c1, 8, 12, 3, { stride: 2 });
    const skip = g.one('Add', [c2, g.init(weights(g.r, [1, 12, 1, 1], 0.3), 'r')]);
    const out = g.one('Relu', [g.one('Add', [skip, g.conv(c1, 8, 12, 1, { stride: 2, pad: 0 })])]);
    const m = finish('strided', 13, g, { x: [1, 3, 41, 150] }, [out]);
    const { errors, report } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1', 'auto');
    expect(errors[0]).toBeLessThan(1e-4);
    const templates = report.kernels.map((k) => k.anchor?.template).filter(Boolean);
    expect(templates.filter((t) => t === 'conv2d_gemm.wasm').length).toBe(3);
    const off = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1', 'auto', { convGemm: false });
    expect(off.errors[0]).toBeLessThan(1e-4);
    expect(off.report.kernels.map((k) => k.anchor?.template)).not.toContain('conv2d_gemm.wasm');
  }, 120_000);
});
