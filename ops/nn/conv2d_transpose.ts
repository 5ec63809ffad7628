// ops/nn/conv2d_transpose.ts — transposed 2-D convolution (ONNX ConvTranspose, TOPI conv2d_transpose_nchw /
// group_conv2d_transpose_nchw). Dilation 1: the sub-pixel (phase) form — output pixel y takes only the taps
// k ≡ y + top (mod stride), so each of the stride_h·stride_w output phases is a dense convolution of the
// undilated input with a ⌈K/stride⌉² subset of the kernel and no zero is multiplied (as onnxruntime's col2im
// and NCNN's deconvolution read it). Dilation > 1: TOPI's form, the input dilated by the strides and padded,
// then a stride-1 convolution with the spatially flipped kernel.
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
  /** 'subpixel' (dilation 1: reduce axes rc, jy < ⌈KH/sh⌉, jx < ⌈KW/sw⌉) or 'dilated' (reduce axes rc, ry < KH, rx < KW). */
  readonly form: 'subpixel' | 'dilated';
};

const OP = 'conv2dTranspose';

/**
 * Dilation 1 (sub-pixel form; ty = y + top, tx = x + left):
 * Y[n, o, y, x] = Σ_{c, jy < ⌈KH/sh⌉, jx < ⌈KW/sw⌉} X[n, g·Cg + c, ⌊ty/sh⌋ − jy, ⌊tx/sw⌋ − jx] · W[g·Cg + c, o mod Og, ty mod sh + sh·jy, tx mod sw + sw·jx],
 * a tap read only where the kernel index is < KH (KW) and the input index inside [0, H) ([0, W)) — the guards
 * are left out where the shapes make them always true (kernel a multiple of the stride, no padding: none).
 * Dilation > 1: Y[n, o, y, x] = Σ_{c, ry, rx} D[n, g·Cg + c, y + ry·dh, x + rx·dw] · W[g·Cg + c, o mod Og, KH−1−ry, KW−1−rx],
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
  const subpixel = dh === 1 && dw === 1;
  const attrs: Conv2dTransposeAttrs = { data_shape: [...X.dims], kernel_shape: [...W.dims], strides, padding, output_padding: outputPadding, dilation, groups, form: subpixel ? 'subpixel' : 'dilated' };
  const Cg = C / groups;
  const channel = (o: Expr, rc: Expr): { c: Expr; oc: Expr } => ({
    c: groups === 1 ? rc : o.floordiv(Og).mul(Cg).add(rc),
    oc: groups === 1 ? o : o.floormod(Og),
  });
  if (subpixel) {
    const axis = (s: number, K: number, pad: number, In: number, Out: number) => {
      const J = Math.ceil(K / s);
      return {
        J,
        // Guards only where some output reaches them: a kernel index past K, an input index < 0 or ≥ In.
        kGuard: K % s !== 0,
        loGuard: Math.floor(pad / s) < J - 1,
        hiGuard: Math.floor((Out - 1 + pad) / s) > In - 1,
      };
    };
    const ay = axis(sh, KH, padding[0], H, OH);
    const ax = axis(sw, KW, padding[1], Wd, OW);
    const rc = reduceAxis(Cg, 'rc');
    const jy = reduceAxis(ay.J, 'jy');
    const jx = reduceAxis(ax.J, 'jx');
    return compute([N, O, OH, OW], (n, o, y, x) => {
      const { c, oc } = channel(o, wrap(rc));
      const ty = y.add(padding[0]);
      const tx = x.add(padding[1]);
      const iy = sh === 1 ? ty.sub(wrap(jy)) : ty.floordiv(sh).sub(wrap(jy));
      const ix = sw === 1 ? tx.sub(wrap(jx)) : tx.floordiv(sw).sub(wrap(jx));
      const ky = sh === 1 ? wrap(jy) : ty.floormod(sh).add(wrap(jy).mul(sh));
      const kx = sw === 1 ? wrap(jx) : tx.floormod(sw).add(wrap(jx).mul(sw));
      const conds: Expr[] = [];
      if (ay.kGuard) conds.push(ky.lt(KH));
      if (ax.kGuard) conds.push(kx.lt(KW));
      if (ay.loGuard) conds.push(iy.ge(0));
      if (ay.hiGuard) conds.push(iy.lt(H));
      if (ax.loGuard) conds.push(ix.ge(0));
      if (ax.hiGuard) conds.push(ix.lt(Wd));
      const xv = conds.length > 0 ? maskedRead(X, [n, c, iy, ix], conds) : X.at(n, c, iy, ix);
      // The kernel read needs the same guard as the data read when its index can pass K.
      const wv = ay.kGuard || ax.kGuard ? maskedRead(W, [c, oc, ky, kx], conds.slice(0, Number(ay.kGuard) + Number(ax.kGuard))) : W.at(c, oc, ky, kx);
      return sum(xv.mul(wv), [rc, jy, jx]);
    }, 'conv2d_transpose_nchw', { tag: 'conv2d_transpose_nchw', attrs });
  }
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
  const rc = reduceAxis(Cg, 'rc');
  const ry = reduceAxis(KH, 'ry');
  const rx = reduceAxis(KW, 'rx');
  return compute([N, O, OH, OW], (n, o, y, x) => {
    const { c, oc } = channel(o, wrap(rc));
    const iy = y.add(wrap(ry).mul(dh));
    const ix = x.add(wrap(rx).mul(dw));
    return sum(D.at(n, c, iy, ix).mul(W.at(c, oc, wrap(ry).neg().add(KH - 1), wrap(rx).neg().add(KW - 1))), [rc, ry, rx]);
  }, 'conv2d_transpose_nchw', { tag: 'conv2d_transpose_nchw', attrs });
}
