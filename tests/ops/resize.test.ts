// tests/ops/resize.test.ts — resize2d (NCHW) nearest and bilinear with every ONNX coordinate
// transformation mode and nearest rounding mode, up- and down-sampling, odd sizes, batch 2, a 1-pixel
// image; built with ops.defaultSchedule on wasm (1 and 2 threads) and WebGPU; checked against
// TensorFlow.js resizeBilinear (half_pixel, align_corners, asymmetric) and the ONNX spec in plain JS.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, tfRef, type Case, type Input } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

type CT = ops.CoordinateTransformationMode;

/** ONNX Resize's get_original_coordinate (onnx/reference/ops/op_resize.py). */
function original(mode: CT, x: number, scale: number, lenOut: number, lenIn: number): number {
  switch (mode) {
    case 'half_pixel': return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel': return lenOut > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners': return lenOut === 1 ? 0 : (x * (lenIn - 1)) / (lenOut - 1);
    case 'asymmetric': return x / scale;
    case 'tf_half_pixel_for_nn': return (x + 0.5) / scale;
  }
}

function nearestIndex(mode: ops.NearestMode, v: number): number {
  switch (mode) {
    case 'round_prefer_floor': return v === Math.floor(v) + 0.5 ? Math.floor(v) : Math.round(v);
    case 'round_prefer_ceil': return Math.round(v);
    case 'floor': return Math.floor(v);
    case 'ceil': return Math.ceil(v);
  }
}

/** Plain-JS ONNX Resize (sizes given) of an NCHW tensor. */
function resizeRef(x: Input, oh: number, ow: number, method: 'nearest' | 'linear', ct: CT, nm: ops.NearestMode = 'round_prefer_floor'): Float32Array {
  const [N, C, H, W] = x.t.dims as [number, number, number, number];
  const d = x.data;
  const out = new Float32Array(N * C * oh * ow);
  const at = (n: number, c: number, y: number, xx: number): number => d[((n * C + c) * H + y) * W + xx]!;
  const clamp = (v: number, len: number): number => Math.min(Math.max(v, 0), len - 1);
  let o = 0;
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    const sy = original(ct, y, oh / H, oh, H);
    const sx = original(ct, xx, ow / W, ow, W);
    if (method === 'nearest') {
      out[o++] = at(n, c, clamp(nearestIndex(nm, sy), H), clamp(nearestIndex(nm, sx), W));
    } else {
      const cy = clamp(sy, H);
      const cx = clamp(sx, W);
      const y0 = Math.floor(cy);
      const x0 = Math.floor(cx);
      const y1 = Math.min(y0 + 1, H - 1);
      const x1 = Math.min(x0 + 1, W - 1);
      const fy = cy - y0;
      const fx = cx - x0;
      out[o++] = (at(n, c, y0, x0) * (1 - fx) + at(n, c, y0, x1) * fx) * (1 - fy) + (at(n, c, y1, x0) * (1 - fx) + at(n, c, y1, x1) * fx) * fy;
    }
  }
  return out;
}

const CTS: readonly CT[] = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn'];
const NMS: readonly ops.NearestMode[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

describe('resize2d with defaultSchedule', () => {
  it.each(ALL_TARGETS)('bilinear against TensorFlow.js and the ONNX spec, up and down, on %s', async (target) => {
    const x = input([2, 3, 5, 7], 1, 'x');
    const one = input([1, 2, 1, 1], 2, 'one');
    const inputs = [x, one];
    const nhwc = (fn: (t: tf.Tensor4D) => tf.Tensor4D) => (X: tf.Tensor): tf.Tensor => tf.transpose(fn(tf.transpose(X, [0, 2, 3, 1]) as tf.Tensor4D), [0, 3, 1, 2]);
    const cases: Case[] = [
      { name: 'linear half_pixel 5x7→8x4 (tfjs)', out: ops.resize2d(x.t, { size: [8, 4], method: 'linear' }),
        want: tfRef(inputs, (X) => nhwc((t) => tf.image.resizeBilinear(t, [8, 4], false, true))(X!)), tol: 1e-5 },
      { name: 'linear align_corners 5x7→9x13 (tfjs)', out: ops.resize2d(x.t, { size: [9, 13], method: 'linear', coordinateTransformationMode: 'align_corners' }),
        want: tfRef(inputs, (X) => nhwc((t) => tf.image.resizeBilinear(t, [9, 13], true, false))(X!)), tol: 1e-5 },
      { name: 'linear asymmetric 5x7→3x10 (tfjs)', out: ops.resize2d(x.t, { size: [3, 10], method: 'linear', coordinateTransformationMode: 'asymmetric' }),
        want: tfRef(inputs, (X) => nhwc((t) => tf.image.resizeBilinear(t, [3, 10], false, false))(X!)), tol: 1e-5 },
      ...CTS.map((ct): Case => ({ name: `linear ${ct} 5x7→6x3 (ONNX)`, out: ops.resize2d(x.t, { size: [6, 3], method: 'linear', coordinateTransformationMode: ct }),
        want: resizeRef(x, 6, 3, 'linear', ct), tol: 1e-5 })),
      { name: 'linear 1-pixel image → 3x2', out: ops.resize2d(one.t, { size: [3, 2], method: 'linear' }), want: resizeRef(one, 3, 2, 'linear', 'half_pixel') },
      { name: 'linear pytorch_half_pixel to 1x1', out: ops.resize2d(x.t, { size: [1, 1], method: 'linear', coordinateTransformationMode: 'pytorch_half_pixel' }),
        want: resizeRef(x, 1, 1, 'linear', 'pytorch_half_pixel') },
    ];
    await checkCases(target, inputs, cases);
  });

  it.each(ALL_TARGETS)('nearest with every rounding and coordinate mode (ONNX spec) on %s', async (target) => {
    const x = input([1, 2, 4, 6], 3, 'x');
    const inputs = [x];
    const cases: Case[] = [
      ...NMS.map((nm): Case => ({ name: `nearest ${nm} asymmetric 4x6→7x9`, out: ops.resize2d(x.t, { size: [7, 9], coordinateTransformationMode: 'asymmetric', nearestMode: nm }),
        want: resizeRef(x, 7, 9, 'nearest', 'asymmetric', nm) })),
      ...CTS.map((ct): Case => ({ name: `nearest default rounding ${ct} 4x6→8x3`, out: ops.resize2d(x.t, { size: [8, 3], coordinateTransformationMode: ct }),
        want: resizeRef(x, 8, 3, 'nearest', ct) })),
      { name: 'nearest half_pixel ceil downsample 4x6→3x4', out: ops.resize2d(x.t, { size: [3, 4], nearestMode: 'ceil' }), want: resizeRef(x, 3, 4, 'nearest', 'half_pixel', 'ceil') },
    ];
    await checkCases(target, inputs, cases);
  });
});

describe('resize2d errors name the op and the problem', () => {
  const x = te.placeholder([1, 1, 4, 4], 'float32', 'x');
  it('rank, size, method, modes', () => {
    expectOpError(() => ops.resize2d(te.placeholder([4, 4], 'float32', 'y'), { size: [2, 2] }), 'resize2d', 'must be 4-D NCHW');
    expectOpError(() => ops.resize2d(x, { size: [2] }), 'resize2d', 'size must have 2 entries');
    expectOpError(() => ops.resize2d(x, { size: [0, 2] }), 'resize2d', 'size[0] = 0');
    expectOpError(() => ops.resize2d(x, { size: [2, 2], method: 'cubic' as 'linear' }), 'resize2d', 'cubic is not supported');
    expectOpError(() => ops.resize2d(x, { size: [2, 2], coordinateTransformationMode: 'tf_crop_and_resize' as CT }), 'resize2d', 'coordinateTransformationMode must be one of');
    expectOpError(() => ops.resize2d(x, { size: [2, 2], nearestMode: 'round' as ops.NearestMode }), 'resize2d', 'nearestMode must be one of');
    expectOpError(() => ops.resize2d(te.placeholder([1, 1, 2, 2], 'int32', 'i'), { size: [2, 2] }), 'resize2d', 'needs float32');
  });
});
