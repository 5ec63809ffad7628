// ops/nn/conv2d_gemm_nchwc.ts — conv2d as im2col + GEMM in the packed NCHW[x]c layout (TVM topi arm_cpu
// conv2d_gemm's NHWC orientation: rows of A are output pixels, columns of B output channels): the padded, strided,
// dilated windows of the packed input Xp [N, C/icb, H, W, icb] copied into rows A[n, p, k], p = oh·OW + ow (its own
// stage, 'conv2d_gemm_NCHWc_im2col'), then Z[n, ob, p, oi] = Σ_k A[n, p, k] · Wp[ob, k, oi] with Wp the packed
// NCHWc weight [O/ocb, C/icb, KH, KW, icb, ocb] viewed as panels [O/ocb, K, ocb] (the same memory as conv2d_NCHWc's
// weight: no other host transform). The panels are the output layout: Z is NCHW{ocb}c with the image's pixels as one
// axis (TVM's [batch, M, N] product, M = OH·OW, so a row tile may span output rows); the op's output, the anchor, is
// Z viewed as [N, O/ocb, OH, OW, ocb] (the same memory), so a model's packed convs around it need no layout
// transform, and its elementwise epilogue is fused into the product's tile (the template fuses the view's rows).

import { sum } from '../../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import type { Conv2dOptions } from './conv2d.js';
import { checkRank, convOutSize, paddedRead, padding4, pair, type Padding4 } from './conv_util.js';

const OP = 'conv2dGemmNCHWc';

/** conv2dGemmNCHWc's options: conv2d's strides, padding, dilation, and the kernel size the panel view hides. */
export interface Conv2dGemmNCHWcOptions extends Omit<Conv2dOptions, 'groups'> {
  /** [KH, KW] of the packed weight whose [O/ocb, K, ocb] view is Wp. */
  readonly kernelSize: readonly [number, number];
}

/** The attributes the conv2d_gemm_NCHWc anchor carries (taskOf rebuilds the workload, conv2d_NCHWc's, from them). */
export type Conv2dGemmNCHWcAttrs = {
  /** Xp's shape [N, C/icb, H, W, icb]. */
  readonly data_shape: readonly number[];
  /** The packed weight's shape [O/ocb, C/icb, KH, KW, icb, ocb] (the kernel reads its [O/ocb, K, ocb] view). */
  readonly kernel_shape: readonly number[];
  readonly strides: readonly [number, number];
  readonly padding: Padding4;
  readonly dilation: readonly [number, number];
};

/**
 * A[n, p, k] with p = oh·OW + ow (the output pixels of an image in one row-major run, so the product's row tiles may
 * span output rows) and k = ((cb·KH + ry)·KW + rx)·icb + ci (the packed weight's order, so icb consecutive k are icb
 * consecutive floats of Xp): Xp[n, cb, oh·sh + ry·dh − top, ow·sw + rx·dw − left, ci], 0 in the padding.
 * Xp [N, Cb, H, W, icb] → [N, OH·OW, Cb·KH·KW·icb].
 */
function im2colNCHWc(Xp: Tensor, KH: number, KW: number, OH: number, OW: number, attrs: Conv2dGemmNCHWcAttrs): Tensor {
  const [N, Cb, , , icb] = Xp.dims as [number, number, number, number, number];
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilation;
  const [top, left] = attrs.padding;
  return compute([N, OH * OW, Cb * KH * KW * icb], (n, p, k) => {
    const ci = k.floormod(icb);
    const tap = k.floordiv(icb);
    const cb = tap.floordiv(KH * KW);
    const ry = tap.floordiv(KW).floormod(KH);
    const rx = tap.floormod(KW);
    const iy = p.floordiv(OW).mul(sh).add(ry.mul(dh)).sub(top);
    const ix = p.floormod(OW).mul(sw).add(rx.mul(dw)).sub(left);
    return paddedRead(Xp, [n, cb], iy, ix, [ci], attrs.padding);
  }, 'data_im2col', { tag: 'conv2d_gemm_NCHWc_im2col' });
}

/**
 * conv2d (groups 1) on packed data as im2col + one gemm per image and output-channel block. Xp: [N, C/icb, H, W,
 * icb] float32 (NCHW{icb}c); Wp: [O/ocb, C·KH·KW, ocb] float32, the packed NCHWc weight [O/ocb, C/icb, KH, KW, icb,
 * ocb] (ops.packWeights) read as panels (reshape, no copy); opts: conv2d's strides, padding [top, left, bottom,
 * right], dilation, and `kernelSize` [KH, KW]. Returns Y [N, O/ocb, OH, OW, ocb] (NCHW{ocb}c, tag
 * 'conv2d_gemm_NCHWc', the anchor): the view of the product Z [N, O/ocb, OH·OW, ocb] (tag GEMM_NCHWC_PRODUCT), OH,
 * OW as conv2d's. Throws RangeError/TypeError starting 'conv2dGemmNCHWc:' for ranks and
 * dtypes, a weight that is not [O/ocb, C·KH·KW, ocb], a bad kernelSize, padding, strides or dilation, an empty output.
 */
export function conv2dGemmNCHWc(Xp: Tensor, Wp: Tensor, opts: Conv2dGemmNCHWcOptions): Tensor {
  const [N, Cb, H, W, icb] = checkRank(OP, Xp, 5, 'data', 'NCHW[x]c') as [number, number, number, number, number];
  const [Ob, K, ocb] = checkRank(OP, Wp, 3, 'weight', 'the packed weight as panels [O/ocb, C·KH·KW, ocb]') as [number, number, number];
  const ks = opts.kernelSize as unknown;
  if (!Array.isArray(ks) || ks.length !== 2 || !ks.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new RangeError(`${OP}: kernelSize must be [KH, KW], positive integers, got ${JSON.stringify(ks)}`);
  }
  const [KH, KW] = ks as [number, number];
  if (K !== Cb * icb * KH * KW) {
    throw new RangeError(`${OP}: weight ${Wp.name} [${Ob}, ${K}, ${ocb}] is not [O/ocb, C·KH·KW, ocb] with C·KH·KW = ${Cb * icb * KH * KW} for ${Cb * icb} channels and a ${KH}×${KW} kernel`);
  }
  const strides = pair(OP, 'strides', opts.strides, 1);
  const dilation = pair(OP, 'dilation', opts.dilation, 1);
  const padding = padding4(OP, opts.padding);
  const OH = convOutSize(OP, 'height', H, KH, strides[0], dilation[0], padding[0], padding[2]);
  const OW = convOutSize(OP, 'width', W, KW, strides[1], dilation[1], padding[1], padding[3]);
  const attrs: Conv2dGemmNCHWcAttrs = { data_shape: [...Xp.dims], kernel_shape: [Ob, Cb, KH, KW, icb, ocb], strides, padding, dilation };
  const A = im2colNCHWc(Xp, KH, KW, OH, OW, attrs);
  const k = reduceAxis(K, 'k');
  const Z = compute([N, Ob, OH * OW, ocb], (n, ob, p, oi) => sum(A.at(n, p, k).mul(Wp.at(ob, k, oi)), [k]), 'conv2d_gemm_NCHWc_product', { tag: GEMM_NCHWC_PRODUCT });
  return compute([N, Ob, OH, OW, ocb], (n, ob, oh, ow, oi) => Z.at(n, ob, oh.mul(OW).add(ow), oi), 'conv2d_gemm_NCHWc', { tag: 'conv2d_gemm_NCHWc', attrs });
}

/** The tag of conv2dGemmNCHWc's product stage Z [N, O/ocb, OH·OW, ocb] (the anchor is its NCHW{ocb}c view). */
export const GEMM_NCHWC_PRODUCT = 'conv2d_gemm_NCHWc_product';
