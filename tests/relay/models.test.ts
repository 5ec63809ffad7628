// tests/relay/models.test.ts — the generated models (MLP, ResNet-, MobileNet-, U-Net-style CNNs, a
// transformer block; opsets 9-17) imported, built for wasm and run; each must match onnxruntime-node
// on the same file within 1e-4 of the output's scale.

import { describe, expect, it } from 'vitest';
import { compareWithOrt } from './models/run_model.js';
import { ZOO } from './models/zoo.js';

describe('generated models on wasm match onnxruntime-node', () => {
  for (const [name, make] of Object.entries(ZOO)) {
    it(`${name} matches`, async () => {
      const m = make();
      const { errors, report } = await compareWithOrt(m.bytes, m.inputs, 'wasm -threads=1');
      expect(errors.length).toBe(1);
      expect(errors[0]).toBeLessThan(1e-4);
      // Every fused kernel is accounted for, and memory planning reused storage.
      expect(report.kernels.length).toBeGreaterThan(0);
      expect(report.memory.intermediateBytes).toBeLessThanOrEqual(report.memory.naiveIntermediateBytes);
    }, 120_000);
  }
});
