// tests/relay/backend/conv_packed_webgpu.test.ts — relay.build for lavapipe's plain target (`webgpu -device=llvmpipe`):
// groups-1 convs on constant weights become nn.contrib_conv2d_nchw_packed on a weight packed once at build time
// ([⌈O/8⌉, C, KH, KW, 8] constants in the plan, zero-padded), scheduled by conv2d_nchw_packed.webgpu with bias, relu and
// residual fused, and the model matches onnxruntime-node on shapes no tile divides (O not a multiple of 8, C odd, batch 2,
// stride 2, dilation 2, asymmetric padding, a 1-pixel image); the whole-image convs (C12's kind), grouped convs and
// every other target (plain webgpu, SwiftShader, a GPU, the subgroup target, wasm) keep conv2d_nchw and their passes.

import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_PASSES, buildPasses } from '../../../relay/backend/build.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { postOrder } from '../../../relay/functor.js';
import { opName, type IRModule, type RelayFunction } from '../../../relay/nodes.js';
import { CONV_PACKED } from '../../../relay/op/conv2d_packed.js';
import { sequential } from '../../../relay/transform/pass.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import { parseTarget } from '../../../target/index.js';
import { rng, weights } from '../models/onnx_builder.js';
import { compareWithOrt } from '../models/run_model.js';
import { finish, Graph, type TestModel } from '../models/zoo.js';

afterAll(releaseWebGPU);

const LAVAPIPE = 'webgpu -device=llvmpipe';

/**
 * x [2, 5, 11, 13]: conv 5 → 13 + bias + relu; conv 13 → 13 (no bias) + residual + relu; conv 13 → 10 stride 2, pads
 * [1, 0, 2, 1]; conv 13 → 9 dilation 2; a depthwise conv (grouped: stays conv2d_nchw). y [1, 3, 1, 1]: conv 3 → 4
 * stride 2 (a 1-pixel image), and 3 → 12 3×3 pad 1 (a 1-pixel output: the whole-image tile, stays conv2d_nchw).
 */
function oddModel(): TestModel {
  const g = new Graph(rng(41));
  const a = g.one('Relu', [g.conv('x', 5, 13, 3)]);
  const b = g.one('Relu', [g.one('Add', [g.conv(a, 13, 13, 3, { bias: false }), a])]);
  const c = g.one('Conv', [b, g.init(weights(g.r, [10, 13, 3, 3], 0.1)), g.init(weights(g.r, [10], 0.1), 'b')], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 0, 2, 1] });
  const d = g.one('Conv', [b, g.init(weights(g.r, [9, 13, 3, 3], 0.1))], { kernel_shape: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] });
  const e = g.conv(b, 13, 13, 3, { group: 13 });
  const f = g.conv('y', 3, 4, 3, { stride: 2 });
  const h = g.conv('y', 3, 12, 3);
  return finish('odd_packed_convs', 13, g, { x: [2, 5, 11, 13], y: [1, 3, 1, 1] }, [c, d, e, f, h]);
}

function optimized(m: TestModel, target: string): IRModule {
  return sequential(buildPasses(parseTarget(target)), fromOnnx(m.bytes, { shapes: m.inputs }));
}

/** The op names of each fused function of `mod`, in model order. */
function kernels(mod: IRModule): string[][] {
  return postOrder(mod.main.body, false)
    .filter((e) => e.kind === 'Call' && typeof e.op !== 'string')
    .map((e) => postOrder(((e as { op: RelayFunction }).op).body).map(opName).filter((n): n is string => n !== undefined));
}

describe('relay.build on webgpu -device=llvmpipe: convs on weights packed in output-channel blocks', () => {
  it('rewrites the groups-1 convs only, the weights packed at build time (zero-padded blocks of 8), the epilogue fused', () => {
    const mod = optimized(oddModel(), LAVAPIPE);
    const ks = kernels(mod);
    const packed = ks.filter((k) => k.includes(CONV_PACKED));
    expect(packed).toEqual([
      [CONV_PACKED, 'add', 'nn.relu'], [CONV_PACKED, 'add', 'nn.relu'], [CONV_PACKED, 'add'], [CONV_PACKED], [CONV_PACKED, 'add'],
    ]);
    // The depthwise conv and the 1-pixel-output conv (whole-image tile) stay nn.conv2d.
    expect(ks.filter((k) => k.includes('nn.conv2d'))).toHaveLength(2);
    // Packed weights are constants of the module: [⌈O/8⌉, C, 3, 3, 8], O 13's second block zero past channel 12.
    const consts = postOrder(mod.main.body).filter((e) => e.kind === 'Constant' && e.data.shape.length === 5);
    expect(consts.map((e) => (e as { data: { shape: readonly number[] } }).data.shape.join('×')).sort()).toEqual(
      ['1×3×3×3×8', '2×13×3×3×8', '2×13×3×3×8', '2×13×3×3×8', '2×5×3×3×8']);
    const w1 = consts.find((e) => (e as { data: { shape: readonly number[] } }).data.shape.join() === '2,5,3,3,8') as { data: { values: Float32Array } };
    for (let t = 0; t < 45; t++) for (let oi = 5; oi < 8; oi++) expect(w1.data.values[(45 + t) * 8 + oi]).toBe(0);
  });

  it('matches onnxruntime-node, every packed conv scheduled by conv2d_nchw_packed.webgpu', async () => {
    const m = oddModel();
    const { errors, report } = await compareWithOrt(m.bytes, m.inputs, LAVAPIPE);
    for (const e of errors) expect(e).toBeLessThan(1e-4);
    const templates = report.kernels.map((k) => k.anchor?.template).filter((t) => t !== undefined);
    expect(templates.filter((t) => t === 'conv2d_nchw_packed.webgpu')).toHaveLength(5);
    expect(templates.filter((t) => t === 'depthwise_conv2d_nchw.webgpu' || t === 'conv2d_nchw.webgpu')).toHaveLength(2);
  }, 600_000);

  it('every other target keeps its passes and its convs: plain webgpu, SwiftShader, a GPU, the subgroup target, wasm', () => {
    for (const t of ['webgpu', 'webgpu -device=swiftshader', 'webgpu -device=nvidia', `${LAVAPIPE} -subgroup-size=8`]) {
      expect(buildPasses(parseTarget(t)), t).toBe(BUILD_PASSES);
    }
    for (const t of ['webgpu', 'webgpu -device=swiftshader', `${LAVAPIPE} -subgroup-size=8`, 'wasm']) {
      expect(kernels(optimized(oddModel(), t)).flat(), t).not.toContain(CONV_PACKED);
    }
  });
});
