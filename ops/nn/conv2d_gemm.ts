// ops/nn/conv2d_gemm.ts — conv2d as one matrix product (im2col + GEMM; TVM topi arm_cpu conv2d_gemm.py,
// `compute_conv2d_gemm_without_weight_transform`, here in NCHW): the padded, strided, dilated input windows
// copied into columns col[n, c·KH·KW, OH·OW] (its own stage, 'conv2d_gemm_im2col'), then
// Y[n, o, p] = Σ_k W[o, k] · col[n, k, p] with W the OIHW weight viewed as [O, C·KH·KW] (the same memory: no
// host transform). The product is an ordinary [O × K] · [K × P] gemm per image, so the wasm gemm template
// (ops/templates/gemm_wasm.ts) schedules it, and its pack_b packs the columns into panels as it copies them.

import { sum } from '../../schedule/reduce.js';
import { compute, placeholder, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { conv2dAttrs, type Conv2dOptions } from './conv2d.js';
import { checkRank, paddedRead } from './conv_util.js';

/** conv2dGemm's options: conv2d's but groups (1 only), and the kernel size the 2-D weight view hides. */
export interface Conv2dGemmOptions extends Omit<Conv2dOptions, 'groups'> {
  /** [KH, KW] of the OIHW weight whose [O, C·KH·KW] view is W. */
  readonly kernelSize: readonly [number, number];
  /** Only 1 (a grouped product is a batched gemm with another A per group; not implemented). */
  readonly groups?: number;
}

/** The attributes the conv2d_gemm anchor carries (taskOf rebuilds the workload from them). */
export type Conv2dGemmAttrs = {
  readonly data_shape: readonly number[];
  /** The OIHW weight's shape [O, C, KH, KW] (the kernel reads its [O, C·KH·KW] view). */
  readonly kernel_shape: readonly number[];
  readonly strides: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
  /** [N, O, OH, OW]: the NCHW output the product's [N, O, OH·OW] is (same memory). */
  readonly out_shape: readonly number[];
};

/**
 * col[n, k, p] with k = (c·KH + ry)·KW + rx (OIHW's flattening) and p = oy·OW + ox: X[n, c, oy·sh + ry·dh − top,
 * ox·sw + rx·dw − left], 0 in the padding (TVM arm_cpu conv2d_gemm's data_im2col, per image and transposed to
 * [K, P] so the product's columns are pixels). X [N, C, H, W] → [N, C·KH·KW, OH·OW].
 */
function im2col(X: Tensor, attrs: Conv2dGemmAttrs): Tensor {
  const [N, C] = X.dims as [number, number, number, number];
  const [, , KH, KW] = attrs.kernel_shape as [number, number, number, number];
  const [, , OH, OW] = attrs.out_shape as [number, number, number, number];
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilation;
  const [top, left] = attrs.padding;
  return compute([N, C * KH * KW, OH * OW], (n, k, p) => {
    const c = k.floordiv(KH * KW);
    const ry = k.floordiv(KW).floormod(KH);
    const rx = k.floormod(KW);
    const iy = p.floordiv(OW).mul(sh).add(ry.mul(dh)).sub(top);
    const ix = p.floormod(OW).mul(sw).add(rx.mul(dw)).sub(left);
    return paddedRead(X, [n, c], iy, ix, [], attrs.padding);
  }, 'data_im2col', { tag: 'conv2d_gemm_im2col' });
}

/**
 * conv2d (NCHW data, groups 1) as im2col + one gemm per image. X: [N, C, H, W] float32; W: [O, C·KH·KW] float32,
 * the OIHW weight [O, C, KH, KW] read as rows (reshape, no copy); opts: conv2d's strides, padding [top, left,
 * bottom, right], dilation, and `kernelSize` [KH, KW]. Returns Y [N, O, OH·OW] (tag 'conv2d_gemm'): the NCHW output
 * [N, O, OH, OW] with its two spatial axes as one (the same memory; `out_shape` in the attrs), OH, OW as conv2d's.
 * Throws RangeError/TypeError starting 'conv2dGemm:' for groups ≠ 1, a weight that is not [O, C·KH·KW], a bad
 * kernelSize, and conv2d's errors (rank, dtype, padding, empty output) otherwise.
 */
export function conv2dGemm(X: Tensor, W: Tensor, opts: Conv2dGemmOptions): Tensor {
  const op = 'conv2dGemm';
  if ((opts.groups ?? 1) !== 1) throw new RangeError(`${op}: groups must be 1, got ${opts.groups} (a grouped or depthwise convolution: use conv2d)`);
  const ks = opts.kernelSize as unknown;
  if (!Array.isArray(ks) || ks.length !== 2 || !ks.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new RangeError(`${op}: kernelSize must be [KH, KW], positive integers, got ${JSON.stringify(ks)}`);
  }
  const [KH, KW] = ks as [number, number];
  const [O, K] = checkRank(op, W, 2, 'weight', 'the OIHW weight as [O, C·KH·KW]') as [number, number];
  const [, C] = checkRank(op, X, 4, 'data', 'NCHW') as [number, number];
  if (K !== C * KH * KW) {
    throw new RangeError(`${op}: weight ${W.name} [${O}, ${K}] is not [O, C·KH·KW] = [${O}, ${C * KH * KW}] for ${C} channels and a ${KH}×${KW} kernel`);
  }
  const { strides, padding, dilation } = opts;
  const { attrs: a, out } = conv2dAttrs(op, X, placeholder([O, C, KH, KW], 'float32', W.name), { strides, padding, dilation, groups: 1 });
  const attrs: Conv2dGemmAttrs = { data_shape: a.data_shape, kernel_shape: a.kernel_shape, strides: a.strides, padding: a.padding, dilation: a.dilation, out_shape: out };
  const col = im2col(X, attrs);
  const [N, , OH, OW] = out;
  const k = reduceAxis(K, 'k');
  return compute([N, O, OH * OW], (n, o, p) => sum(W.at(o, k).mul(col.at(n, k, p)), [k]), 'conv2d_gemm', { tag: 'conv2d_gemm', attrs });
}
