// ops/nn/depthwise_conv2d_nchwc.ts — depthwise convolution in the packed NCHW[x]c layout (TVM x86
// depthwise_conv2d_NCHWc, python/tvm/topi/x86/depthwise_conv2d.py): data [N, C/b, H, W, b], weights
// [C/b, 1, KH, KW, 1, b], output [N, C/b, OH, OW, b]; each output pixel's b channels are one contiguous
// run, so with b = 4 every multiply-add of the kernel window is an f32x4 at any stride. Plus the
// build-time packing of constant OIHW depthwise weights.

import { wrap } from '../../schedule/expr.js';
import { sum } from '../../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { checkRank, convOutSize, padNCHW, padding4, pair, type Padding4 } from './conv_util.js';
import type { Conv2dOptions } from './conv2d.js';

const OP = 'depthwiseConv2dNCHWc';

/**
 * Packs depthwise OIHW weights [C, 1, KH, KW] (channel multiplier 1) into [C/b, 1, KH, KW, 1, b] on the
 * host, once at build time: Wp[cb, 0, y, x, 0, ci] = W[cb·b + ci, 0, y, x] (TVM's kernel layout
 * OIHW1i{b}o for depthwise_conv2d_NCHWc). Throws RangeError starting 'packDepthwiseWeights:' for a wrong
 * value count, a weight that is not [C, 1, KH, KW], or C not divisible by b.
 */
export function packDepthwiseWeights(w: Float32Array, shape: readonly number[], block: number): Float32Array {
  const where = 'packDepthwiseWeights';
  if (shape.length !== 4 || shape[1] !== 1) throw new RangeError(`${where}: the weight must be [C, 1, KH, KW] (channel multiplier 1), got [${shape.join(', ')}]`);
  const [C, , KH, KW] = shape as [number, number, number, number];
  if (w.length !== C * KH * KW) throw new RangeError(`${where}: ${w.length} values for shape [${shape.join(', ')}]`);
  if (!Number.isInteger(block) || block < 1 || C % block !== 0) throw new RangeError(`${where}: channel count ${C} is not divisible by the block ${block}`);
  const out = new Float32Array(w.length);
  let k = 0;
  for (let cb = 0; cb < C / block; cb++) for (let y = 0; y < KH; y++) for (let x = 0; x < KW; x++) {
    for (let ci = 0; ci < block; ci++) out[k++] = w[((cb * block + ci) * KH + y) * KW + x]!;
  }
  return out;
}

/** The attributes a depthwise_conv2d_NCHWc anchor carries (as conv2d_NCHWc's). */
export type DepthwiseConv2dNCHWcAttrs = {
  readonly data_shape: readonly number[];
  readonly kernel_shape: readonly number[];
  readonly strides: readonly [number, number];
  readonly padding: Padding4;
  readonly dilation: readonly [number, number];
};

/**
 * Y[n, cb, y, x, ci] = Σ_{ry, rx} Xp[n, cb, y·sh + ry·dh − top, x·sw + rx·dw − left, ci] · Wp[cb, 0, ry, rx, 0, ci]
 * (zero outside the image). Xp: [N, C/b, H, W, b] float32 (packData); Wp: [C/b, 1, KH, KW, 1, b]
 * (packDepthwiseWeights); Y: [N, C/b, OH, OW, b], OH = ⌊(H + top + bottom − dh·(KH−1) − 1)/sh⌋ + 1
 * (TVM topi.x86 depthwise_conv2d_NCHWc with channel multiplier 1; for a multiplier use depthwise_conv2d
 * NCHW). Tag 'depthwise_conv2d_NCHWc'. Throws RangeError/TypeError starting 'depthwiseConv2dNCHWc:' for a
 * wrong rank or dtype, a weight whose blocks disagree with the data's or that has a channel multiplier,
 * padding of the wrong length, an output size ≤ 0.
 */
export function depthwiseConv2dNCHWc(Xp: Tensor, Wp: Tensor, opts: Omit<Conv2dOptions, 'groups'> = {}): Tensor {
  const [N, Cb, H, W, b] = checkRank(OP, Xp, 5, 'data', 'NCHW[x]c') as [number, number, number, number, number];
  const [Cb2, one, KH, KW, m, b2] = checkRank(OP, Wp, 6, 'weight', 'OIHW1i[x]o') as [number, number, number, number, number, number];
  if (one !== 1 || m !== 1) {
    throw new RangeError(`${OP}: weight ${Wp.name} must be [C/b, 1, KH, KW, 1, b] (channel multiplier 1), got [${Wp.dims.join(', ')}]; for a channel multiplier use depthwiseConv2d (NCHW)`);
  }
  if (Cb !== Cb2 || b !== b2) throw new RangeError(`${OP}: data has ${Cb}×${b} channel blocks but the weight ${Wp.name} has ${Cb2}×${b2}`);
  const strides = pair(OP, 'strides', opts.strides, 1);
  const dilation = pair(OP, 'dilation', opts.dilation, 1);
  const padding = padding4(OP, opts.padding);
  const OH = convOutSize(OP, 'height', H, KH, strides[0], dilation[0], padding[0], padding[2]);
  const OW = convOutSize(OP, 'width', W, KW, strides[1], dilation[1], padding[1], padding[3]);
  const attrs: DepthwiseConv2dNCHWcAttrs = { data_shape: [...Xp.dims], kernel_shape: [...Wp.dims], strides, padding, dilation };
  const P = padNCHW(Xp, padding);
  const ry = reduceAxis(KH, 'ry');
  const rx = reduceAxis(KW, 'rx');
  return compute([N, Cb, OH, OW, b], (n, cb, y, x, ci) => sum(
    P.at(n, cb, y.mul(strides[0]).add(wrap(ry).mul(dilation[0])), x.mul(strides[1]).add(wrap(rx).mul(dilation[1])), ci).mul(Wp.at(cb, 0, ry, rx, 0, ci)),
    [ry, rx]), 'depthwise_conv2d_NCHWc', { tag: 'depthwise_conv2d_NCHWc', attrs });
}
