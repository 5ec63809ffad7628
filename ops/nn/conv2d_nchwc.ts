// ops/nn/conv2d_nchwc.ts — 2-D convolution in the packed NCHW[x]c layout (TVM x86 conv2d_NCHWc): data
// [N, C/icb, H, W, icb], weights [O/ocb, C/icb, KH, KW, icb, ocb], output [N, O/ocb, OH, OW, ocb]; plus the
// layout transforms around it and the build-time packing of constant weights.

import { wrap } from '../../schedule/expr.js';
import { sum } from '../../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { checkRank, convOutSize, padNCHW, padding4, pair, type Padding4 } from './conv_util.js';
import type { Conv2dOptions } from './conv2d.js';

const OP = 'conv2dNCHWc';

/** Channel blocks of the packed layout: the first of 8, 4, 2 that divides C (and O), else 1 (ops/op_params.ts). */
export { nchwcBlocks } from '../op_params.js';

/** data [N, C, H, W] → [N, C/icb, H, W, icb] (TVM layout_transform NCHW → NCHW{icb}c). Tag 'injective'. */
export function packData(X: Tensor, icBlock: number): Tensor {
  const [N, C, H, W] = checkRank('packData', X, 4, 'data', 'NCHW') as [number, number, number, number];
  if (C % icBlock !== 0) throw new RangeError(`packData: channel count ${C} is not divisible by the block ${icBlock}`);
  return compute([N, C / icBlock, H, W, icBlock], (n, c, h, w, b) => X.at(n, c.mul(icBlock).add(b), h, w), 'data_vec', { tag: 'injective,layout' });
}

/** output [N, O/ocb, H, W, ocb] → [N, O, H, W]. Tag 'injective'. */
export function unpackOutput(Y: Tensor): Tensor {
  const [N, Ob, H, W, ob] = checkRank('unpackOutput', Y, 5, 'output', 'NCHW[x]c') as [number, number, number, number, number];
  return compute([N, Ob * ob, H, W], (n, o, h, w) => Y.at(n, o.floordiv(ob), h, w, o.floormod(ob)), 'output_unpack', { tag: 'injective,layout' });
}

/**
 * Packs OIHW weights [O, C, KH, KW] into [O/ocb, C/icb, KH, KW, icb, ocb] on the host, once at build
 * time (weights are constants of a model): Wp[oo, co, y, x, ci, oi] = W[oo·ocb + oi, co·icb + ci, y, x].
 */
export function packWeights(w: Float32Array, shape: readonly number[], icBlock: number, ocBlock: number): Float32Array {
  const [O, C, KH, KW] = shape as [number, number, number, number];
  if (w.length !== O * C * KH * KW) throw new RangeError(`packWeights: ${w.length} values for shape [${shape.join(', ')}]`);
  if (O % ocBlock !== 0 || C % icBlock !== 0) throw new RangeError(`packWeights: O ${O} / C ${C} not divisible by the blocks ${ocBlock} / ${icBlock}`);
  const out = new Float32Array(w.length);
  let k = 0;
  for (let oo = 0; oo < O / ocBlock; oo++) for (let co = 0; co < C / icBlock; co++) for (let y = 0; y < KH; y++) for (let x = 0; x < KW; x++) {
    for (let ci = 0; ci < icBlock; ci++) for (let oi = 0; oi < ocBlock; oi++) out[k++] = w[(((oo * ocBlock + oi) * C + co * icBlock + ci) * KH + y) * KW + x]!;
  }
  return out;
}

/** The attributes a conv2d_NCHWc anchor carries. */
export type Conv2dNCHWcAttrs = {
  readonly data_shape: readonly number[];
  readonly kernel_shape: readonly number[];
  readonly strides: readonly [number, number];
  readonly padding: Padding4;
  readonly dilation: readonly [number, number];
};

/**
 * Y[n, ob, y, x, oi] = Σ_{cb, ry, rx, ci} Xp[n, cb, y·sh + ry·dh − top, x·sw + rx·dw − left, ci] · Wp[ob, cb, ry, rx, ci, oi]
 * (zero outside the image). Xp: [N, C/icb, H, W, icb]; Wp: [O/ocb, C/icb, KH, KW, icb, ocb]; Y: [N, O/ocb, OH, OW, ocb]
 * (TVM topi.x86 conv2d_NCHWc, groups 1). Throws RangeError starting 'conv2dNCHWc:' for blocks that disagree,
 * padding of the wrong length, an output size ≤ 0.
 */
export function conv2dNCHWc(Xp: Tensor, Wp: Tensor, opts: Omit<Conv2dOptions, 'groups'> = {}): Tensor {
  const [N, Cb, H, W, icb] = checkRank(OP, Xp, 5, 'data', 'NCHW[x]c') as [number, number, number, number, number];
  const [Ob, Cb2, KH, KW, icb2, ocb] = checkRank(OP, Wp, 6, 'weight', 'OIHW[x]i[y]o') as [number, number, number, number, number, number];
  if (Cb !== Cb2 || icb !== icb2) throw new RangeError(`${OP}: data has ${Cb}×${icb} channel blocks but the weight ${Wp.name} has ${Cb2}×${icb2}`);
  const strides = pair(OP, 'strides', opts.strides, 1);
  const dilation = pair(OP, 'dilation', opts.dilation, 1);
  const padding = padding4(OP, opts.padding);
  const OH = convOutSize(OP, 'height', H, KH, strides[0], dilation[0], padding[0], padding[2]);
  const OW = convOutSize(OP, 'width', W, KW, strides[1], dilation[1], padding[1], padding[3]);
  const attrs: Conv2dNCHWcAttrs = { data_shape: [...Xp.dims], kernel_shape: [...Wp.dims], strides, padding, dilation };
  const P = padNCHW(Xp, padding);
  const rco = reduceAxis(Cb, 'rco');
  const ry = reduceAxis(KH, 'ry');
  const rx = reduceAxis(KW, 'rx');
  const rci = reduceAxis(icb, 'rci');
  return compute([N, Ob, OH, OW, ocb], (n, ob, y, x, oi) => sum(
    P.at(n, rco, y.mul(strides[0]).add(wrap(ry).mul(dilation[0])), x.mul(strides[1]).add(wrap(rx).mul(dilation[1])), rci).mul(Wp.at(ob, rco, ry, rx, rci, oi)),
    [rco, ry, rx, rci]), 'conv2d_NCHWc', { tag: 'conv2d_NCHWc', attrs });
}
