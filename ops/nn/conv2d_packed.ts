// ops/nn/conv2d_packed.ts — 2-D convolution (groups 1) on NCHW data with its OIHW weight packed in blocks of output
// channels, [⌈O/ob⌉, C, KH, KW, ob] (TVM's layout 'OIHW{ob}o'; ops/pack_weight.ts packConvWeightOC), output NCHW.
// The weight layout for lavapipe's plain WebGPU target (`webgpu -device=llvmpipe`): a lane's `ob` channels of one
// tap are adjacent, so the kernel reads them as vec4 loads (2 a tap for ob 8) instead of 8 scalar gathers
// (docs/webgpu.md "Session 16"/"Session 17"; template ops/templates/conv2d_packed_webgpu.ts).

import { wrap } from '../../schedule/expr.js';
import { sum } from '../../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { checkRank, convOutSize, padNCHW, padding4, pair, type Padding4 } from './conv_util.js';
import type { Conv2dOptions } from './conv2d.js';

const OP = 'conv2dPackedWeight';

export interface Conv2dPackedOptions extends Omit<Conv2dOptions, 'groups'> {
  /** Output channels O (the packed weight holds ⌈O/ob⌉·ob, the last block zero-padded); default ⌈O/ob⌉·ob. */
  readonly channels?: number;
}

/** The attributes a conv2d_nchw_packed anchor carries (taskOf rebuilds the workload from them). */
export type Conv2dPackedAttrs = {
  readonly data_shape: readonly number[];
  readonly kernel_shape: readonly number[];
  readonly strides: readonly [number, number];
  readonly padding: Padding4;
  readonly dilation: readonly [number, number];
  readonly channels: number;
};

/**
 * Y[n, o, y, x] = Σ_{c, ry, rx} X_pad[n, c, y·sh + ry·dh, x·sw + rx·dw] · Wp[⌊o/ob⌋, c, ry, rx, o mod ob] (zero outside
 * the image): conv2d_nchw with groups 1 reading the packed weight. X: [N, C, H, W] float32; Wp: [⌈O/ob⌉, C, KH, KW, ob];
 * Y: [N, O, OH, OW] (OH as ONNX Conv). Tag 'conv2d_nchw_packed'. Throws RangeError starting 'conv2dPackedWeight:' for
 * a wrong rank, channels that disagree, O that does not fit the weight's blocks, bad padding, an output size ≤ 0.
 */
export function conv2dPackedWeight(X: Tensor, Wp: Tensor, opts: Conv2dPackedOptions = {}): Tensor {
  const [N, C, H, W] = checkRank(OP, X, 4, 'data', 'NCHW') as [number, number, number, number];
  const [Ob, C2, KH, KW, ob] = checkRank(OP, Wp, 5, 'weight', 'OIHW{ob}o') as [number, number, number, number, number];
  if (C !== C2) throw new RangeError(`${OP}: data has ${C} channels but the weight ${Wp.name} is for ${C2}`);
  const O = opts.channels ?? Ob * ob;
  if (!Number.isInteger(O) || O < 1 || Math.ceil(O / ob) !== Ob) {
    throw new RangeError(`${OP}: ${O} output channels need ${Math.ceil(O / ob)} blocks of ${ob}; the weight ${Wp.name} [${Wp.dims.join(', ')}] has ${Ob}`);
  }
  const strides = pair(OP, 'strides', opts.strides, 1);
  const dilation = pair(OP, 'dilation', opts.dilation, 1);
  const padding = padding4(OP, opts.padding);
  const OH = convOutSize(OP, 'height', H, KH, strides[0], dilation[0], padding[0], padding[2]);
  const OW = convOutSize(OP, 'width', W, KW, strides[1], dilation[1], padding[1], padding[3]);
  const attrs: Conv2dPackedAttrs = { data_shape: [...X.dims], kernel_shape: [...Wp.dims], strides, padding, dilation, channels: O };
  const P = padNCHW(X, padding);
  const rc = reduceAxis(C, 'rc');
  const ry = reduceAxis(KH, 'ry');
  const rx = reduceAxis(KW, 'rx');
  return compute([N, O, OH, OW], (n, o, y, x) => sum(
    P.at(n, rc, y.mul(strides[0]).add(wrap(ry).mul(dilation[0])), x.mul(strides[1]).add(wrap(rx).mul(dilation[1]))).mul(Wp.at(o.floordiv(ob), rc, ry, rx, o.floormod(ob))),
    [rc, ry, rx]), 'conv2d_nchw_packed', { tag: 'conv2d_nchw_packed', attrs });
}
