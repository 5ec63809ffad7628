// ops/nn/conv2d_winograd.ts — 3×3, stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3)
// (Lavin & Gray 2016, "Fast Algorithms for Convolutional Neural Networks"; TVM topi arm_cpu
// conv2d_nchw_winograd): 2×2 output tiles from 4×4 input tiles, 16 multiplies per tile and channel pair
// instead of 36. Stages: kernel transform U = G·g·Gᵀ, input transform V = Bᵀ·d·B, 16 batched products
// M = U·V over input channels, output transform Y = Aᵀ·M·A.

import { constValue, select, wrap, type Expr } from '../../schedule/expr.js';
import { sum } from '../../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { conv2dAttrs, type Conv2dOptions } from './conv2d.js';
import { maskedRead } from './conv_util.js';

/** F(2×2, 3×3) transform matrices (Lavin & Gray, section 4.1): G 4×3, Bᵀ 4×4, Aᵀ 2×4. */
export const WINOGRAD_G: readonly (readonly number[])[] = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]];
export const WINOGRAD_BT: readonly (readonly number[])[] = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]];
export const WINOGRAD_AT: readonly (readonly number[])[] = [[1, 1, 1, 0], [0, 1, -1, -1]];

/** m[i][j] as an expression of index expressions i, j (a select chain; constant once i, j are unrolled). */
function constMatrix(m: readonly (readonly number[])[], i: Expr, j: Expr): Expr {
  let e: Expr = constValue(0);
  m.forEach((row, a) => row.forEach((v, b) => {
    if (v !== 0) e = select(i.eq(a).and(j.eq(b)), constValue(v), e);
  }));
  return e;
}

/** Whether conv2d(X, W, opts) can use F(2×2, 3×3): a 3×3 kernel, stride 1, dilation 1, groups 1. */
export function winogradApplicable(W: Tensor, opts: Conv2dOptions): boolean {
  const one = (v: number | readonly number[] | undefined): boolean => v === undefined || (typeof v === 'number' ? v === 1 : v.every((x) => x === 1));
  return W.ndim === 4 && W.dims[2] === 3 && W.dims[3] === 3 && one(opts.strides) && one(opts.dilation) && (opts.groups ?? 1) === 1;
}

/**
 * conv2d for a 3×3 kernel with stride 1, dilation 1, groups 1, any padding, by F(2×2, 3×3).
 * X: [N, C, H, W] float32; W: [O, C, 3, 3]; result [N, O, OH, OW] (tag 'conv2d_winograd', the same
 * values as conv2d up to float rounding). Throws RangeError starting 'conv2dWinograd:' for another
 * kernel size, stride, dilation or groups, and conv2d's errors otherwise.
 */
export function conv2dWinograd(X: Tensor, W: Tensor, opts: Conv2dOptions = {}): Tensor {
  const { attrs, out } = conv2dAttrs('conv2dWinograd', X, W, opts);
  if (!winogradApplicable(W, opts)) {
    throw new RangeError(`conv2dWinograd: F(2×2, 3×3) needs a 3×3 kernel, stride 1, dilation 1 and groups 1; got kernel ${W.dims[2]}×${W.dims[3]}, ` +
      `strides [${attrs.strides}], dilation [${attrs.dilation}], groups ${attrs.groups} (use conv2d)`);
  }
  const [N, C, H, Wd] = X.dims as [number, number, number, number];
  const [, O, OH, OW] = out;
  const [top, left] = attrs.padding;
  const nH = Math.ceil(OH / 2);
  const nW = Math.ceil(OW / 2);
  const P = N * nH * nW;
  // Kernel transform U[eps, nu, o, c] = Σ G[eps, r1]·g[o, c, r1, r2]·G[nu, r2] (weights only: constant in a model).
  const r1 = reduceAxis(3, 'r_kh');
  const r2 = reduceAxis(3, 'r_kw');
  const U = compute([4, 4, O, C], (eps, nu, o, c) => sum(
    W.at(o, c, r1, r2).mul(constMatrix(WINOGRAD_G, eps, wrap(r1))).mul(constMatrix(WINOGRAD_G, nu, wrap(r2))), [r1, r2]),
  'winograd_kernel', { tag: 'winograd_kernel' });
  // Input transform V[eps, nu, c, p] = Σ Bᵀ[eps, a]·d[c, p, a, b]·Bᵀ[nu, b], d the 4×4 input tile of tile p
  // (rows 2·th − top …, zero outside the image).
  const ra = reduceAxis(4, 'r_a');
  const rb = reduceAxis(4, 'r_b');
  const V = compute([4, 4, C, P], (eps, nu, c, p) => {
    const n = p.floordiv(nH * nW);
    const th = p.floordiv(nW).floormod(nH);
    const tw = p.floormod(nW);
    const y = th.mul(2).add(ra).sub(top);
    const x = tw.mul(2).add(rb).sub(left);
    const d = maskedRead(X, [n, c, y, x], [y.ge(0), y.lt(H), x.ge(0), x.lt(Wd)]);
    return sum(d.mul(constMatrix(WINOGRAD_BT, eps, wrap(ra))).mul(constMatrix(WINOGRAD_BT, nu, wrap(rb))), [ra, rb]);
  }, 'winograd_data', { tag: 'winograd_data' });
  // 16 independent products over the input channels: M[eps, nu, o, p] = Σ_c U[eps, nu, o, c]·V[eps, nu, c, p].
  const rc = reduceAxis(C, 'rc');
  const M = compute([4, 4, O, P], (eps, nu, o, p) => sum(U.at(eps, nu, o, rc).mul(V.at(eps, nu, rc, p)), [rc]),
    'winograd_gemm', { tag: 'winograd_gemm' });
  // Output transform Y[n, o, y, x] = Σ Aᵀ[y mod 2, a]·M[a, b, o, p]·Aᵀ[x mod 2, b].
  const sa = reduceAxis(4, 'r_ya');
  const sb = reduceAxis(4, 'r_xb');
  return compute(out, (n, o, y, x) => {
    const p = n.mul(nH * nW).add(y.floordiv(2).mul(nW)).add(x.floordiv(2));
    return sum(M.at(sa, sb, o, p).mul(constMatrix(WINOGRAD_AT, y.floormod(2), wrap(sa))).mul(constMatrix(WINOGRAD_AT, x.floormod(2), wrap(sb))), [sa, sb]);
  }, 'conv2d_winograd', { tag: 'conv2d_winograd', attrs });
}
