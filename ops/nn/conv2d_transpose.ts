// ops/nn/conv2d_transpose.ts — transposed 2-D convolution (ONNX ConvTranspose, TOPI conv2d_transpose_nchw /
// group_conv2d_transpose_nchw): the input dilated by the strides and padded, then a stride-1 convolution
// with the spatially flipped kernel.

import { wrap, type Expr } from '../../schedule/expr.js';
import { sum } from '../../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { checkRank, maskedRead, outSize, padding4, pair, type Padding4 } from './conv_util.js';

export interface Conv2dTransposeOptions {
  /** [h, w] or one number; default [1, 1]. */
  readonly strides?: number | readonly number[];
  /** [top, left, bottom, right] removed from the full output (ONNX pads); default 0. */
  readonly padding?: number | readonly number[];
  /** Extra rows/columns added at the bottom/right (ONNX output_padding); each < stride or < dilation. */
  readonly outputPadding?: number | readonly number[];
  /** [h, w] or one number; default [1, 1]. */
  readonly dilation?: number | readonly number[];
  /** Channel groups; default 1. */
  readonly groups?: number;
}

/** The attributes a conv2d_transpose anchor carries on its op. */
export type Conv2dTransposeAttrs = {
  readonly data_shape: readonly number[];
  readonly kernel_shape: readonly number[];
  readonly strides: readonly [number, number];
  readonly padding: Padding4;
  readonly output_padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
};

const OP = 'conv2dTranspose';

/**
 * Y[n, o, y, x] = Σ_{c, ry, rx} D[n, g·Cg + c, y + ry·dh, x + rx·dw] · W[g·Cg + c, o mod Og, KH−1−ry, KW−1−rx],
 * where D is X dilated by the strides and padded by dh·(KH−1) − top before (… − bottom + output_padding after),
 * g = ⌊o/Og⌋, Cg = C/groups, Og = O/groups. X: [N, C, H, W] float32; W: [C, O/groups, KH, KW] (ONNX);
 * Y: [N, O, OH, OW], OH = sh·(H−1) + output_padding + dh·(KH−1) + 1 − top − bottom.
 * Throws RangeError starting 'conv2dTranspose:' for a wrong rank, padding of the wrong length, channels
 * not divisible by groups, output padding ≥ both stride and dilation, an output size ≤ 0.
 */
export function conv2dTranspose(X: Tensor, W: Tensor, opts: Conv2dTransposeOptions = {}): Tensor {
  const [N, C, H, Wd] = checkRank(OP, X, 4, 'data', 'NCHW') as [number, number, number, number];
  const [Cw, Og, KH, KW] = checkRank(OP, W, 4, 'weight', '[C_in, C_out/groups, KH, KW]') as [number, number, number, number];
  const strides = pair(OP, 'strides', opts.strides, 1);
  const dilation = pair(OP, 'dilation', opts.dilation, 1);
  const padding = padding4(OP, opts.padding);
  const outputPadding = pair(OP, 'outputPadding', opts.outputPadding, 0, 0);
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${OP}: groups must be a positive integer, got ${groups}`);
  if (C % groups !== 0) throw new RangeError(`${OP}: channel count ${C} is not divisible by groups ${groups}`);
  if (Cw !== C) throw new RangeError(`${OP}: weight ${W.name} has ${Cw} input channels but data has ${C} (weight is [C_in, C_out/groups, KH, KW])`);
  for (let d = 0; d < 2; d++) {
    if (outputPadding[d]! >= Math.max(strides[d]!, dilation[d]!)) {
      throw new RangeError(`${OP}: outputPadding ${outputPadding[d]} on the ${d === 0 ? 'height' : 'width'} axis must be smaller than the stride ${strides[d]} or the dilation ${dilation[d]}`);
    }
  }
  const [sh, sw] = strides;
  const [dh, dw] = dilation;
  const O = Og * groups;
  const OH = outSize(OP, 'height', sh * (H - 1) + outputPadding[0] + dh * (KH - 1) + 1 - padding[0] - padding[2], `stride ${sh}, input ${H}, kernel ${KH}, padding ${padding[0]}+${padding[2]}`);
  const OW = outSize(OP, 'width', sw * (Wd - 1) + outputPadding[1] + dw * (KW - 1) + 1 - padding[1] - padding[3], `stride ${sw}, input ${Wd}, kernel ${KW}, padding ${padding[1]}+${padding[3]}`);
  const attrs: Conv2dTransposeAttrs = { data_shape: [...X.dims], kernel_shape: [...W.dims], strides, padding, output_padding: outputPadding, dilation, groups };
  // Row `y` of the dilated, padded input D is input row (y − offset)/sh when that divides exactly.
  const offY = dh * (KH - 1) - padding[0];
  const offX = dw * (KW - 1) - padding[1];
  const dilRead = (n: Expr, c: Expr, y: Expr, x: Expr): Expr => {
    const yy = y.sub(offY);
    const xx = x.sub(offX);
    const conds: Expr[] = [yy.ge(0), xx.ge(0), yy.lt(sh * (H - 1) + 1), xx.lt(sw * (Wd - 1) + 1)];
    if (sh > 1) conds.push(yy.floormod(sh).eq(0));
    if (sw > 1) conds.push(xx.floormod(sw).eq(0));
    return maskedRead(X, [n, c, sh > 1 ? yy.floordiv(sh) : yy, sw > 1 ? xx.floordiv(sw) : xx], conds);
  };
  const D = compute([N, C, OH + dh * (KH - 1), OW + dw * (KW - 1)], (n, c, y, x) => dilRead(n, c, y, x), 'data_dilate_pad', { tag: 'injective,pad' });
  const Cg = C / groups;
  const rc = reduceAxis(Cg, 'rc');
  const ry = reduceAxis(KH, 'ry');
  const rx = reduceAxis(KW, 'rx');
  return compute([N, O, OH, OW], (n, o, y, x) => {
    const c = groups === 1 ? wrap(rc) : o.floordiv(Og).mul(Cg).add(rc);
    const oc = groups === 1 ? o : o.floormod(Og);
    const iy = y.add(wrap(ry).mul(dh));
    const ix = x.add(wrap(rx).mul(dw));
    return sum(D.at(n, c, iy, ix).mul(W.at(c, oc, wrap(ry).neg().add(KH - 1), wrap(rx).neg().add(KW - 1))), [rc, ry, rx]);
  }, 'conv2d_transpose_nchw', { tag: 'conv2d_transpose_nchw', attrs });
}
