// tests/relay/transform/conv_packed_candidate.test.ts — relay/transform/alter_conv_webgpu.ts on hand-made typed convs,
// one part changed at a time: convPackedCandidate takes a groups-1 nn.conv2d with a float32 constant OIHW weight on
// float32 NCHW data, except a stride-1, dilation-1 conv whose output is conv2d_nchw.webgpu's whole-image tile (at most
// 49 pixels, not 1×1); a stride or dilation above 1 on either axis is taken even there. AlterConvWeightWebGPU runs only
// where packsConvWeights (webgpu on lavapipe without subgroups) and returns the same module elsewhere.
// tests/relay/backend/conv_packed_webgpu.test.ts builds whole models.

import { describe, expect, it } from 'vitest';
import { call, constant, func, irModule, opName, variable, type Call } from '../../../relay/nodes.js';
import { CONV_PACKED } from '../../../relay/op/conv2d_packed.js';
import { AlterConvWeightWebGPU, convPackedCandidate, packsConvWeights } from '../../../relay/transform/alter_conv_webgpu.js';
import { inferExpr, InferType } from '../../../relay/transform/infer_type.js';
import { tensorType } from '../../../relay/ty.js';
import { parseTarget } from '../../../target/index.js';

interface Part { readonly H?: number; readonly W?: number; readonly K?: number; readonly strides?: number[]; readonly dilation?: number[]; readonly groups?: number; readonly runtimeWeight?: boolean }

/** nn.conv2d on data [1, 4, H, W] with an [8, 4/groups, K, K] weight, padding (K/2)·dilation; typed. */
function conv({ H = 12, W = 12, K = 3, strides = [1, 1], dilation = [1, 1], groups = 1, runtimeWeight = false }: Part): Call {
  const x = variable('x', tensorType([1, 4, H, W]));
  const shape = [8, 4 / groups, K, K];
  const w = runtimeWeight ? variable('w', tensorType(shape)) : constant(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5), shape);
  // Padding (K/2)·dilation per axis: stride 1 keeps the image's size, so a dilated 7 × 7 conv is still a 49-pixel output.
  const [ph, pw] = dilation.map((d) => Math.floor(K / 2) * d) as [number, number];
  return inferExpr(call('nn.conv2d', [x, w], { strides, padding: [ph, pw, ph, pw], dilation, groups }));
}

describe('convPackedCandidate', () => {
  it('a groups-1 conv on a constant weight; not grouped, not a runtime weight', () => {
    expect(convPackedCandidate(conv({}))).toBe(true);
    expect(convPackedCandidate(conv({ groups: 2 }))).toBe(false);
    expect(convPackedCandidate(conv({ groups: 4 }))).toBe(false);
    expect(convPackedCandidate(conv({ runtimeWeight: true }))).toBe(false);
  });

  it("stride 1, dilation 1 and an output of at most 49 pixels (the whole-image tile): not taken; a stride or dilation on either axis: taken", () => {
    // [H, W, taken]: 7 × 7 = 49 and 5 × 9 = 45 whole-image; 7 × 8 = 56 not.
    for (const [H, W, want] of [[7, 7, false], [5, 9, false], [1, 1, false], [7, 8, true], [12, 12, true]] as const) {
      expect(convPackedCandidate(conv({ H, W })), `${H} × ${W}`).toBe(want);
    }
    for (const part of [{ strides: [2, 1] }, { strides: [1, 2] }, { dilation: [2, 1] }, { dilation: [1, 2] }, { strides: [2, 2] }, { dilation: [2, 2] }]) {
      const c = conv({ H: 7, W: 7, ...part });
      // Every one of these outputs is at most 49 pixels: only the stride or dilation takes it.
      const [, , OH, OW] = (c.checkedType as unknown as { shape: number[] }).shape;
      expect(OH! * OW!, JSON.stringify(part)).toBeLessThanOrEqual(49);
      expect(convPackedCandidate(c), JSON.stringify(part)).toBe(true);
    }
    // A 1×1 conv has no whole-image tile: taken on a small image too.
    expect(convPackedCandidate(conv({ H: 7, W: 7, K: 1 }))).toBe(true);
  });
});

describe('AlterConvWeightWebGPU', () => {
  const mod = () => {
    const x = variable('x', tensorType([1, 4, 12, 12]));
    return InferType.run(irModule(func([x], call('nn.conv2d', [x, constant(new Float32Array(8 * 4 * 9).fill(0.5), [8, 4, 3, 3])], { strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 }))));
  };

  it("packs on lavapipe's plain target only; the same module object everywhere else", () => {
    const pass = AlterConvWeightWebGPU('webgpu -device=llvmpipe');
    expect(pass.name).toBe('AlterConvWeightWebGPU');
    const out = pass.run(mod());
    expect(opName(out.main.body as Call)).toBe(CONV_PACKED);
    for (const t of ['wasm', 'webgpu', 'webgpu -device=swiftshader', 'webgpu -device=llvmpipe -subgroup-size=8']) {
      const m = mod();
      expect(packsConvWeights(parseTarget(t)), t).toBe(false);
      expect(AlterConvWeightWebGPU(t).run(m), t).toBe(m);
    }
    expect(packsConvWeights(parseTarget('webgpu -device=llvmpipe'))).toBe(true);
  });
});
