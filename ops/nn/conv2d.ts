// ops/nn/conv2d.ts — 2-D convolution, NCHW data and OIHW weights (TOPI conv2d_nchw, group_conv2d_nchw,
// depthwise_conv2d_nchw): strides, padding [top, left, bottom, right], dilation, groups.

import { wrap } from '../../schedule/expr.js';
import { sum } from '../../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { checkRank, convOutSize, padding4, padNCHW, pair, type Padding4 } from './conv_util.js';

export interface Conv2dOptions {
  /** [h, w] or one number; default [1, 1]. */
  readonly strides?: number | readonly number[];
  /** [top, left, bottom, right] (also a number, or [h, w]); default 0. */
  readonly padding?: number | readonly number[];
  /** [h, w] or one number; default [1, 1]. */
  readonly dilation?: number | readonly number[];
  /** Channel groups; C (with O a multiple of C) is a depthwise convolution. Default 1. */
  readonly groups?: number;
}

/** The attributes a conv anchor carries on its op (taskOf rebuilds the workload from them). */
export type Conv2dAttrs = {
  readonly data_shape: readonly number[];
  readonly kernel_shape: readonly number[];
  readonly strides: readonly [number, number];
  readonly padding: Padding4;
  readonly dilation: readonly [number, number];
  readonly groups: number;
};

/** Checked attributes and the output shape [N, O, OH, OW] of conv2d(X, W, opts). */
export function conv2dAttrs(op: string, X: Tensor, W: Tensor, opts: Conv2dOptions): { attrs: Conv2dAttrs; out: [number, number, number, number] } {
  const [N, C, H, Wd] = checkRank(op, X, 4, 'data', 'NCHW') as [number, number, number, number];
  const [O, Cg, KH, KW] = checkRank(op, W, 4, 'weight', 'OIHW') as [number, number, number, number];
  const strides = pair(op, 'strides', opts.strides, 1);
  const dilation = pair(op, 'dilation', opts.dilation, 1);
  const padding = padding4(op, opts.padding);
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${op}: groups must be a positive integer, got ${groups}`);
  if (C % groups !== 0) throw new RangeError(`${op}: channel count ${C} is not divisible by groups ${groups}`);
  if (O % groups !== 0) throw new RangeError(`${op}: output channel count ${O} is not divisible by groups ${groups}`);
  if (Cg !== C / groups) {
    throw new RangeError(`${op}: weight ${W.name} has ${Cg} input channels per group, but data has ${C} channels in ${groups} group(s) ` +
      `(expected weight shape [${O}, ${C / groups}, ${KH}, ${KW}])`);
  }
  const OH = convOutSize(op, 'height', H, KH, strides[0], dilation[0], padding[0], padding[2]);
  const OW = convOutSize(op, 'width', Wd, KW, strides[1], dilation[1], padding[1], padding[3]);
  return { attrs: { data_shape: [...X.dims], kernel_shape: [...W.dims], strides, padding, dilation, groups }, out: [N, O, OH, OW] };
}

/**
 * Y[n, o, y, x] = Σ_{c, ry, rx} X_pad[n, g·C/groups + c, y·sh + ry·dh, x·sw + rx·dw] · W[o, c, ry, rx],
 * g = ⌊o / (O/groups)⌋. X: [N, C, H, W] float32; W: [O, C/groups, KH, KW]; Y: [N, O, OH, OW] with
 * OH = ⌊(H + top + bottom − dh·(KH−1) − 1)/sh⌋ + 1 (ONNX Conv; TVM conv2d_nchw, group_conv2d_nchw).
 * groups = C > 1 (weight [C·m, 1, KH, KW]) is a depthwise convolution (tag 'depthwise_conv2d_nchw').
 * Throws RangeError/TypeError starting 'conv2d:' for a wrong rank or dtype, padding of the wrong
 * length, channels not divisible by groups, a weight that does not fit, an output size ≤ 0.
 */
export function conv2d(X: Tensor, W: Tensor, opts: Conv2dOptions = {}): Tensor {
  const { attrs, out } = conv2dAttrs('conv2d', X, W, opts);
  const C = X.dims[1]!;
  if (attrs.groups === C && C > 1) return depthwise(X, W, attrs, out);
  const [, , KH, KW] = W.dims as [number, number, number, number];
  const Cg = C / attrs.groups;
  const Og = out[1] / attrs.groups;
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilation;
  const P = padNCHW(X, attrs.padding);
  const rc = reduceAxis(Cg, 'rc');
  const ry = reduceAxis(KH, 'ry');
  const rx = reduceAxis(KW, 'rx');
  return compute(out, (n, o, y, x) => {
    const c = attrs.groups === 1 ? wrap(rc) : o.floordiv(Og).mul(Cg).add(rc);
    const iy = y.mul(sh).add(wrap(ry).mul(dh));
    const ix = x.mul(sw).add(wrap(rx).mul(dw));
    return sum(P.at(n, c, iy, ix).mul(W.at(o, rc, ry, rx)), [rc, ry, rx]);
  }, 'conv2d_nchw', { tag: 'conv2d_nchw', attrs });
}

/** Y[n, o, y, x] = Σ_{ry, rx} X_pad[n, ⌊o/m⌋, y·sh + ry·dh, x·sw + rx·dw] · W[o, 0, ry, rx] (m = O/C). */
function depthwise(X: Tensor, W: Tensor, attrs: Conv2dAttrs, out: [number, number, number, number]): Tensor {
  const [, , KH, KW] = W.dims as [number, number, number, number];
  const m = out[1] / X.dims[1]!;
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilation;
  const P = padNCHW(X, attrs.padding);
  const ry = reduceAxis(KH, 'ry');
  const rx = reduceAxis(KW, 'rx');
  return compute(out, (n, o, y, x) => {
    const c = m === 1 ? o : o.floordiv(m);
    const iy = y.mul(sh).add(wrap(ry).mul(dh));
    const ix = x.mul(sw).add(wrap(rx).mul(dw));
    return sum(P.at(n, c, iy, ix).mul(W.at(o, 0, ry, rx)), [ry, rx]);
  }, 'depthwise_conv2d_nchw', { tag: 'depthwise_conv2d_nchw', attrs });
}

/** Depthwise convolution: conv2d with groups = C (weight [C·m, 1, KH, KW]); same options and errors. */
export function depthwiseConv2d(X: Tensor, W: Tensor, opts: Omit<Conv2dOptions, 'groups'> = {}): Tensor {
  if (X.ndim === 4 && X.dims[1] === 1) {
    // One channel: groups = C = 1 is an ordinary convolution, computed as a depthwise one all the same.
    const { attrs, out } = conv2dAttrs('depthwiseConv2d', X, W, { ...opts, groups: 1 });
    return depthwise(X, W, attrs, out);
  }
  return conv2d(X, W, { ...opts, groups: X.ndim === 4 ? X.dims[1]! : 1 });
}
