// tests/relay/backend/winograd_build.test.ts — models built with Winograd F(4×4, 3×3) and F(2×2, 3×3) convolutions
// (AlterOpLayout's nn.contrib_conv2d_winograd_without_weight_transform, tile_size 4 or 2) match onnxruntime-node on odd
// shapes and on the zoo's ResNet; the weight transform is folded at build time (no transform op left, [36, O, C] or
// [16, O, C] constants in the plan); bias, relu and residual adds fuse into the Winograd kernel; winograd: false and
// WebGPU builds have none.

import { describe, expect, it } from 'vitest';
import { buildPasses, formatReport } from '../../../relay/backend/build.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { postOrder } from '../../../relay/functor.js';
import { opName, type IRModule, type RelayFunction } from '../../../relay/nodes.js';
import { WINOGRAD_CONV, WINOGRAD_WEIGHT_TRANSFORM } from '../../../relay/op/winograd.js';
import { sequential } from '../../../relay/transform/pass.js';
import { parseTarget } from '../../../target/index.js';
import { compareWithOrt } from '../models/run_model.js';
import { oddConvs, wideConvs } from '../models/winograd_zoo.js';
import { resnet, type TestModel } from '../models/zoo.js';

function optimized(m: TestModel, winograd: boolean | 'auto', target = 'wasm'): IRModule {
  return sequential(buildPasses(parseTarget(target), 'auto', { winograd }), fromOnnx(m.bytes, { shapes: m.inputs }));
}

/** The op names of each fused function of `mod`, in model order. */
function kernels(mod: IRModule): string[][] {
  return postOrder(mod.main.body, false)
    .filter((e) => e.kind === 'Call' && typeof e.op !== 'string')
    .map((e) => postOrder(((e as { op: RelayFunction }).op).body).map(opName).filter((n): n is string => n !== undefined));
}

describe('Winograd convolutions in relay.build', () => {
  it('matches onnxruntime-node on odd shapes (C 6, O 5/7, 9×7, batch 2, padding 0, 1 and [1, 0, 0, 1]; F(4×4) by the tile rule) in every layout mode and on 2 threads', async () => {
    const m = oddConvs();
    for (const mode of ['auto', 'nchwc', 'nchw'] as const) {
      const { errors, report } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1', mode, { winograd: true });
      expect(errors.every((e) => e < 1e-4), `${mode}: ${errors.join(', ')}`).toBe(true);
      // Four 3×3 stride-1 convs run as Winograd F(4×4) (fewer products than F(2×2) on these 2 × 9×7 images: 36·16 <
      // 16·40 multiplies per channel pair); the stride-2 conv stays direct.
      const wino = report.kernels.filter((k) => k.anchor?.template === 'conv2d_winograd_m4.wasm');
      expect(wino.length, mode).toBe(4);
      expect(wino.map((k) => k.anchor!.args[1])).toEqual([['TENSOR', [36, 6, 6], 'float32'], ['TENSOR', [36, 6, 6], 'float32'], ['TENSOR', [36, 7, 6], 'float32'], ['TENSOR', [36, 5, 6], 'float32']]);
      expect(report.kernels.some((k) => k.anchor !== undefined && !k.anchor.template.startsWith('conv2d_winograd'))).toBe(true);
    }
    const { errors } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=2', 'auto', { winograd: true });
    expect(errors.every((e) => e < 1e-4), `2 threads: ${errors.join(', ')}`).toBe(true);
  }, 240_000);

  it('folds the weight transform at build time and fuses bias, relu and the residual add into the Winograd kernel', () => {
    const mod = optimized(oddConvs(), true);
    const all = postOrder(mod.main.body).map(opName);
    expect(all).not.toContain(WINOGRAD_WEIGHT_TRANSFORM);
    expect(all.filter((n) => n === WINOGRAD_CONV)).toHaveLength(4);
    const consts = postOrder(mod.main.body, false).filter((e) => e.kind === 'Constant').map((e) => (e.kind === 'Constant' ? e.data.shape : []));
    expect(consts).toContainEqual([36, 6, 6]);
    expect(consts).toContainEqual([36, 7, 6]);
    expect(consts).not.toContainEqual([16, 6, 6]);
    const ks = kernels(mod).filter((k) => k.includes(WINOGRAD_CONV));
    expect(ks[0]).toEqual([WINOGRAD_CONV, 'add', 'nn.relu']); // + bias, relu
    expect(ks[1]).toEqual([WINOGRAD_CONV, 'add']); // + x (residual)
    expect(ks[2]).toEqual([WINOGRAD_CONV, 'add', 'nn.relu']);
    expect(ks).toHaveLength(4);
  });

  it('the default rule makes the 64 → 64 convs Winograd (F(4×4) on 7×9, F(2×2) on 7×7) and leaves 64 → 16 direct; the models match onnxruntime-node', async () => {
    for (const [h, w, m, tmpl] of [[7, 9, 4, 'conv2d_winograd_m4.wasm'], [7, 7, 2, 'conv2d_winograd.wasm']] as const) {
      const model = wideConvs(h, w);
      const { errors, report } = await compareWithOrt(model.bytes, model.inputs, 'wasm -threads=1');
      expect(errors[0]).toBeLessThan(1e-4);
      expect(report.kernels.map((k) => k.anchor?.template).filter(Boolean)).toEqual([tmpl, tmpl, 'conv2d_NCHWc.wasm']);
      expect(report.convs.map((c) => [c.implementation, c.tileSize, c.source])).toEqual([['winograd', m, 'rule'], ['winograd', m, 'rule'], ['direct', undefined, 'rule']]);
      expect(formatReport(report)).toContain(`3×3 stride-1 convs: Winograd 2 by the default rule${m === 4 ? ' (2 as F(4×4, 3×3))' : ''}; direct 1 by the default rule`);
    }
  }, 240_000);

  it("the zoo's ResNet with winograd: true runs its 20×20 stem conv as F(4×4), the 10×10 and 5×5 ones as F(2×2), and matches onnxruntime-node", async () => {
    const m = resnet();
    const { errors, report } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1', 'auto', { winograd: true });
    expect(errors.every((e) => e < 1e-4), errors.join(', ')).toBe(true);
    const templates = report.kernels.map((k) => k.anchor?.template);
    expect(templates).toContain('conv2d_winograd_m4.wasm');
    expect(templates).toContain('conv2d_winograd.wasm');
    // In model order: the stem (3 → 8 on 20×20: 36·32 < 16·104 multiplies per channel pair), then the blocks' 3×3 s1 convs.
    expect(report.convs.filter((c) => c.implementation === 'winograd').map((c) => c.tileSize)).toEqual([4, 2, 2, 2]);
  }, 240_000);

  it('winograd: false, alterOpLayout false (without winograd: true) and webgpu builds make no Winograd conv', () => {
    const names = (mod: IRModule): (string | undefined)[] => postOrder(mod.main.body).map(opName);
    expect(names(optimized(wideConvs(), false))).not.toContain(WINOGRAD_CONV);
    expect(names(optimized(wideConvs(), 'auto', 'webgpu'))).not.toContain(WINOGRAD_CONV);
    const m = wideConvs();
    const nchw = sequential(buildPasses(parseTarget('wasm'), 'nchw'), fromOnnx(m.bytes, { shapes: m.inputs }));
    expect(names(nchw)).not.toContain(WINOGRAD_CONV);
    expect(() => buildPasses(parseTarget('wasm'), 'auto', { winograd: 'yes' as 'auto' })).toThrow(`winograd must be true, false or 'auto', got "yes"`);
  });
});
