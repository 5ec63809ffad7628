// tests/relay/backend/winograd_build.test.ts — models built with Winograd F(2×2, 3×3) convolutions (AlterOpLayout's
// nn.contrib_conv2d_winograd_without_weight_transform) match onnxruntime-node on odd shapes; the weight transform is
// folded at build time (no transform op left, [16, O, C] constants in the plan); bias, relu and residual adds
// fuse into the Winograd kernel; winograd: false and WebGPU builds have none.

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
import type { TestModel } from '../models/zoo.js';

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
  it('matches onnxruntime-node on odd shapes (C 6, O 5/7, 9×7, batch 2, padding 0, 1 and [1, 0, 0, 1]) in every layout mode and on 2 threads', async () => {
    const m = oddConvs();
    for (const mode of ['auto', 'nchwc', 'nchw'] as const) {
      const { errors, report } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1', mode, { winograd: true });
      expect(errors.every((e) => e < 1e-4), `${mode}: ${errors.join(', ')}`).toBe(true);
      // Four 3×3 stride-1 convs run as Winograd (four workloads); the stride-2 conv stays direct.
      const wino = report.kernels.filter((k) => k.anchor?.template === 'conv2d_winograd.wasm');
      expect(wino.length, mode).toBe(4);
      expect(wino.map((k) => k.anchor!.args[1])).toEqual([['TENSOR', [16, 6, 6], 'float32'], ['TENSOR', [16, 6, 6], 'float32'], ['TENSOR', [16, 7, 6], 'float32'], ['TENSOR', [16, 5, 6], 'float32']]);
      expect(report.kernels.some((k) => k.anchor !== undefined && k.anchor.template !== 'conv2d_winograd.wasm')).toBe(true);
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
    expect(consts).toContainEqual([16, 6, 6]);
    expect(consts).toContainEqual([16, 7, 6]);
    const ks = kernels(mod).filter((k) => k.includes(WINOGRAD_CONV));
    expect(ks[0]).toEqual([WINOGRAD_CONV, 'add', 'nn.relu']); // + bias, relu
    expect(ks[1]).toEqual([WINOGRAD_CONV, 'add']); // + x (residual)
    expect(ks[2]).toEqual([WINOGRAD_CONV, 'add', 'nn.relu']);
    expect(ks).toHaveLength(4);
  });

  it('the default rule makes the 64 → 64 convs Winograd and leaves 64 → 16 direct; the model matches onnxruntime-node', async () => {
    const m = wideConvs();
    const { errors, report } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1');
    expect(errors[0]).toBeLessThan(1e-4);
    expect(report.kernels.map((k) => k.anchor?.template).filter(Boolean)).toEqual(['conv2d_winograd.wasm', 'conv2d_winograd.wasm', 'conv2d_NCHWc.wasm']);
    expect(report.convs.map((c) => [c.implementation, c.source])).toEqual([['winograd', 'rule'], ['winograd', 'rule'], ['direct', 'rule']]);
    expect(formatReport(report)).toContain('3×3 stride-1 convs: Winograd 2 by the default rule; direct 1 by the default rule');
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
