// tests/relay/models_webgpu.test.ts — generated models built for WebGPU (lavapipe in CI), run with
// every intermediate kept on the device, matched against onnxruntime-node.

import { afterAll, describe, expect, it } from 'vitest';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import { compareWithOrt } from './models/run_model.js';
import { mobilenet, unet } from './models/zoo.js';

afterAll(releaseWebGPU);

describe('generated models on webgpu match onnxruntime-node', () => {
  for (const make of [unet, mobilenet]) {
    it(`${make.name} matches`, async () => {
      const m = make();
      const { errors } = await compareWithOrt(m.bytes, m.inputs, 'webgpu');
      expect(errors[0]).toBeLessThan(1e-4);
    }, 400_000);
  }
  // Softmax and max pooling start their reductions at -inf, which the WGSL code generator emits as a
  // constant the WGSL compiler refuses ("value -inf cannot be represented as 'f32'"): codegen/wgsl.
  it.todo('mlp, resnet and transformer on webgpu (blocked: WGSL -inf constants in max reductions)');
});
