// ops/resize.ts — resize2d of NCHW images (ONNX Resize-13/19 with `sizes`, TOPI image.resize2d):
// nearest and bilinear, with ONNX's coordinate transformation modes and nearest rounding modes.

import * as te from '../schedule/index.js';
import type { Expr } from '../schedule/expr.js';
import { compute, type Tensor } from '../schedule/tensor.js';
import { checkFloat, checkInts, checkTensor, fmt } from './check.js';
import { TAG } from './tags.js';

export type CoordinateTransformationMode = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_half_pixel_for_nn';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';

const CT_MODES: readonly CoordinateTransformationMode[] = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn'];
const NEAREST_MODES: readonly NearestMode[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

export interface Resize2dOptions {
  /** Output [height, width]. */
  readonly size: readonly [number, number] | readonly number[];
  /** 'nearest' (default) or 'linear' (bilinear). Cubic is not supported. */
  readonly method?: 'nearest' | 'linear';
  /** How an output coordinate maps to an input one (ONNX; default 'half_pixel'). */
  readonly coordinateTransformationMode?: CoordinateTransformationMode;
  /** Rounding of nearest (ONNX; default 'round_prefer_floor'). */
  readonly nearestMode?: NearestMode;
}

/** ONNX's mapping of output coordinate `x` (an Expr, float32) to the input axis; scale = outLen / inLen. */
export function sourceCoordinate(mode: CoordinateTransformationMode, x: Expr, inLen: number, outLen: number): Expr {
  const scale = outLen / inLen;
  switch (mode) {
    case 'half_pixel': return x.add(0.5).div(scale).sub(0.5);
    case 'pytorch_half_pixel': return outLen > 1 ? x.add(0.5).div(scale).sub(0.5) : te.const(0);
    case 'align_corners': return outLen === 1 ? te.const(0) : x.mul((inLen - 1) / (outLen - 1));
    case 'asymmetric': return x.div(scale);
    case 'tf_half_pixel_for_nn': return x.add(0.5).div(scale);
  }
}

function roundNearest(mode: NearestMode, v: Expr): Expr {
  switch (mode) {
    case 'round_prefer_floor': return te.ceil(v.sub(0.5));
    case 'round_prefer_ceil': return te.floor(v.add(0.5));
    case 'floor': return te.floor(v);
    case 'ceil': return te.ceil(v);
  }
}

/** Resizes the last two axes of an NCHW float32 tensor to `size` (ONNX Resize semantics, as onnxruntime). */
export function resize2d(x: Tensor, opts: Resize2dOptions): Tensor {
  checkTensor('resize2d', x);
  checkFloat('resize2d', x);
  if (x.ndim !== 4) throw new RangeError(`resize2d: input must be 4-D NCHW, got shape ${fmt(x.dims)}`);
  if (typeof opts !== 'object' || opts === null) throw new TypeError('resize2d: options { size: [h, w], … } are required');
  const [oh, ow] = checkInts('resize2d', opts.size, 'size', 2, (v) => v > 0, 'positive integers') as [number, number];
  const method = opts.method ?? 'nearest';
  if (method !== 'nearest' && method !== 'linear') {
    throw new RangeError(`resize2d: method must be 'nearest' or 'linear', got '${String(method)}'${String(method) === 'cubic' ? ' (cubic is not supported)' : ''}`);
  }
  const ct = opts.coordinateTransformationMode ?? 'half_pixel';
  if (!CT_MODES.includes(ct)) throw new RangeError(`resize2d: coordinateTransformationMode must be one of ${CT_MODES.join(', ')}, got '${String(ct)}'`);
  const nm = opts.nearestMode ?? 'round_prefer_floor';
  if (!NEAREST_MODES.includes(nm)) throw new RangeError(`resize2d: nearestMode must be one of ${NEAREST_MODES.join(', ')}, got '${String(nm)}'`);
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const src = (i: Expr, inLen: number, outLen: number): Expr => sourceCoordinate(ct, i.astype('float32'), inLen, outLen);
  const toIndex = (v: Expr, len: number): Expr => v.astype('int32').max(0).min(len - 1);
  const attrs = { size: [oh, ow], method, coordinateTransformationMode: ct, nearestMode: nm };
  if (method === 'nearest') {
    return compute([N, C, oh, ow], (n, c, y, xx) => x.at(n, c,
      toIndex(roundNearest(nm, src(y, H, oh)), H), toIndex(roundNearest(nm, src(xx, W, ow)), W)), 'T_resize2d', { tag: TAG.injective, attrs });
  }
  return compute([N, C, oh, ow], (n, c, y, xx) => {
    // As onnxruntime: the source coordinate is clamped into [0, len-1], then the two neighbours are mixed.
    const sy = src(y, H, oh).max(0.0).min(H - 1);
    const sx = src(xx, W, ow).max(0.0).min(W - 1);
    const y0 = te.floor(sy);
    const x0 = te.floor(sx);
    const wy = sy.sub(y0);
    const wx = sx.sub(x0);
    const iy0 = y0.astype('int32');
    const ix0 = x0.astype('int32');
    const iy1 = iy0.add(1).min(H - 1);
    const ix1 = ix0.add(1).min(W - 1);
    const top = x.at(n, c, iy0, ix0).mul(wx.neg().add(1.0)).add(x.at(n, c, iy0, ix1).mul(wx));
    const bottom = x.at(n, c, iy1, ix0).mul(wx.neg().add(1.0)).add(x.at(n, c, iy1, ix1).mul(wx));
    return top.mul(wy.neg().add(1.0)).add(bottom.mul(wy));
  }, 'T_resize2d', { tag: TAG.injective, attrs });
}
