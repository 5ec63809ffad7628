// tests/relay/models_webgpu.test.ts — the generated models built for WebGPU (lavapipe in CI), run with
// every intermediate kept on the device, matched against onnxruntime-node.

import { afterAll, describe, expect, it } from 'vitest';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import { compareWithOrt } from './models/run_model.js';
import { ZOO } from './models/zoo.js';

afterAll(releaseWebGPU);

describe('generated models on webgpu match onnxruntime-node', () => {
  for (const [name, make] of Object.entries(ZOO)) {
    it(`${name} matches`, async () => {
      const m = make();
      const { errors } = await compareWithOrt(m.bytes, m.inputs, 'webgpu');
      expect(errors[0]).toBeLessThan(1e-4);
    }, 300_000);
  }
});
