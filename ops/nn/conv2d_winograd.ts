// ops/nn/conv2d_winograd.ts — 3×3, stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3)
// (Lavin & Gray 2016, "Fast Algorithms for Convolutional Neural Networks"; TVM topi arm_cpu
// conv2d_nchw_winograd): 2×2 output tiles from 4×4 input tiles, 16 multiplies per tile and channel pair
// instead of 36. Stages: kernel transform U = G·g·Gᵀ, input transform V = Bᵀ·d·B, 16 batched products
// M = U·V over input channels, output transform Y = Aᵀ·M·A.

import { constValue, select, wrap, type Expr } from '../../schedule/expr.js';
import { sum } from '../../schedule/reduce.js';
import { compute, placeholder, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { conv2dAttrs, type Conv2dOptions } from './conv2d.js';
import { padNCHW } from './conv_util.js';

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

/** Σ_{a, b} ra[a]·rb[b]·term(a, b) over the non-zero coefficients only. */
function sparseSum(ra: readonly number[], rb: readonly number[], term: (a: number, b: number) => Expr): Expr {
  let acc: Expr | undefined;
  ra.forEach((ca, a) => rb.forEach((cb, b) => {
    const c = ca * cb;
    if (c === 0) return;
    const t = term(a, b);
    const scaled = c === 1 ? t : t.mul(constValue(c));
    acc = acc === undefined ? scaled : acc.add(scaled);
  }));
  return acc ?? constValue(0);
}

/** body(i, j) for the constant pair (i, j) equal to the index expressions (ei, ej) in [0, n)², as a select chain. */
function pick(ei: Expr, ej: Expr, body: (i: number, j: number) => Expr, n = 4): Expr {
  let e = body(n - 1, n - 1);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = n - 1; j >= 0; j--) {
      if (i === n - 1 && j === n - 1) continue;
      e = select(ei.eq(i).and(ej.eq(j)), body(i, j), e);
    }
  }
  return e;
}

/**
 * Rows to add to a [16 planes, rows, P] float32 buffer so that its plane stride (rows·P·4 bytes) is not a
 * multiple of 512 bytes: the 16 planes, accessed together, then fall in 16 different L1 sets instead of all in
 * one (a 12-way L1 keeps 12 of the 16 lines of a set: the rest are evicted on every access). 0 when already so.
 */
export function planePad(rows: number, P: number): number {
  for (let k = 0; k < 8; k++) if (((rows + k) * P * 4) % 512 !== 0) return k;
  return 0;
}

/** Whether conv2d(X, W, opts) can use F(2×2, 3×3): a 3×3 kernel, stride 1, dilation 1, groups 1. */
export function winogradApplicable(W: Tensor, opts: Conv2dOptions): boolean {
  const one = (v: number | readonly number[] | undefined): boolean => v === undefined || (typeof v === 'number' ? v === 1 : v.every((x) => x === 1));
  return W.ndim === 4 && W.dims[2] === 3 && W.dims[3] === 3 && one(opts.strides) && one(opts.dilation) && (opts.groups ?? 1) === 1;
}

/**
 * Transforms OIHW 3×3 weights [O, C, 3, 3] into the Winograd domain on the host, once at build time (weights
 * are constants of a model; TVM's `contrib_conv2d_winograd_weight_transform`): U[(ε·4 + ν), o, c] =
 * Σ G[ε, r1]·g[o, c, r1, r2]·G[ν, r2], G of F(2×2, 3×3), as G·g then ·Gᵀ (computed in float64, rounded
 * once). Returns a Float32Array of shape [16, O, C], the weight `conv2dWinograd` takes pre-transformed.
 * Throws RangeError starting 'winogradWeightTransform:' when the shape is not [O, C, 3, 3] or the data does
 * not fill it.
 */
export function winogradWeightTransform(w: Float32Array, shape: readonly number[]): Float32Array {
  const [O, C, KH, KW] = shape as [number, number, number, number];
  if (shape.length !== 4 || KH !== 3 || KW !== 3) throw new RangeError(`winogradWeightTransform: weight shape must be [O, C, 3, 3], got [${shape.join(', ')}]`);
  if (w.length !== O * C * 9) throw new RangeError(`winogradWeightTransform: ${w.length} values for shape [${shape.join(', ')}] (expected ${O * C * 9})`);
  const u = new Float32Array(16 * O * C);
  const gg = new Float64Array(12);
  for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) {
    const g = (r1: number, r2: number): number => w[((o * C + c) * 3 + r1) * 3 + r2]!;
    // (G·g)[ε, r2]
    for (let e = 0; e < 4; e++) for (let r2 = 0; r2 < 3; r2++) gg[e * 3 + r2] = WINOGRAD_G[e]!.reduce((acc, v, r1) => acc + v * g(r1, r2), 0);
    for (let e = 0; e < 4; e++) for (let n = 0; n < 4; n++) {
      u[((e * 4 + n) * O + o) * C + c] = WINOGRAD_G[n]!.reduce((acc, v, r2) => acc + v * gg[e * 3 + r2]!, 0);
    }
  }
  return u;
}

/**
 * conv2d for a 3×3 kernel with stride 1, dilation 1, groups 1, any padding, by F(2×2, 3×3).
 * X: [N, C, H, W] float32; W: [O, C, 3, 3] (transformed in the kernel), or [16, O, C] already transformed by
 * `winogradWeightTransform` on the host (TVM's `conv2d_winograd_without_weight_transform`: the weights of a
 * model are constants, and the in-kernel transform costs 16·O·C values per run, most of C12's time);
 * result [N, O, OH, OW] (tag 'conv2d_winograd', the same values as conv2d up to float rounding). Throws
 * RangeError starting 'conv2dWinograd:' for another kernel size, stride, dilation or groups, or a
 * transformed weight whose channel count disagrees with the data, and conv2d's errors otherwise.
 */
export function conv2dWinograd(X: Tensor, W: Tensor, opts: Conv2dOptions = {}): Tensor {
  const pre = W.ndim === 3;
  if (pre && (W.dims[0] !== 16 || W.dims[2] !== X.dims[1])) {
    throw new RangeError(`conv2dWinograd: a pre-transformed weight must be [16, O, C] with C = ${X.dims[1]} (winogradWeightTransform), got [${W.dims.join(', ')}]`);
  }
  // The checks and attributes of the equivalent [O, C, 3, 3] convolution; kernel_shape stays W's own shape,
  // so the workload [X, W, padding] rebuilds the same op.
  const raw = pre ? placeholder([W.dims[1]!, W.dims[2]!, 3, 3], 'float32', W.name) : W;
  const { attrs: rawAttrs, out } = conv2dAttrs('conv2dWinograd', X, raw, opts);
  const attrs = { ...rawAttrs, kernel_shape: [...W.dims] };
  if (!winogradApplicable(raw, opts)) {
    throw new RangeError(`conv2dWinograd: F(2×2, 3×3) needs a 3×3 kernel, stride 1, dilation 1 and groups 1; got kernel ${raw.dims[2]}×${raw.dims[3]}, ` +
      `strides [${attrs.strides}], dilation [${attrs.dilation}], groups ${attrs.groups} (use conv2d)`);
  }
  const [N, C, H, Wd] = X.dims as [number, number, number, number];
  const [, O, OH, OW] = out;
  const [top, left] = attrs.padding;
  const nH = Math.ceil(OH / 2);
  const nW = Math.ceil(OW / 2);
  // Tiles, rounded up to a multiple of 8 so the products' tile axis splits into whole f32x4 vectors; the
  // extra tiles read the last image's tiles again and are never used by the output transform.
  const P = Math.ceil((N * nH * nW) / 8) * 8;
  // Kernel transform U[eps, nu, o, c] = Σ G[eps, r1]·g[o, c, r1, r2]·G[nu, r2] (weights only: constant in a
  // model), or a view of the pre-transformed weight (inlined by the schedule).
  let U: Tensor;
  if (pre) {
    U = compute([4, 4, O, C], (eps, nu, o, c) => W.at(eps.mul(4).add(nu), o, c), 'winograd_kernel_view', { tag: 'injective' });
  } else {
    const r1 = reduceAxis(3, 'r_kh');
    const r2 = reduceAxis(3, 'r_kw');
    U = compute([4, 4, O, C], (eps, nu, o, c) => sum(
      W.at(o, c, r1, r2).mul(constMatrix(WINOGRAD_G, eps, wrap(r1))).mul(constMatrix(WINOGRAD_G, nu, wrap(r2))), [r1, r2]),
    'winograd_kernel', { tag: 'winograd_kernel' });
  }
  // Input transform V[eps, nu, c, p] = Σ Bᵀ[eps, a]·d[c, p, a, b]·Bᵀ[nu, b], d the 4×4 tile of tile p in the
  // input padded to whole tiles. Written as its 16 sparse sums (4 terms each), picked by (eps, nu): once
  // eps and nu are unrolled the choice folds away and no zero coefficient is multiplied.
  const Pd = padNCHW(X, [top, left, 2 * nH + 2 - H - top, 2 * nW + 2 - Wd - left]);
  // Its 16 (ε, ν) planes are written together, C·P floats apart: with C·P·4 bytes a multiple of 4 KiB (C6:
  // 128 × 200) the 16 store streams fall in one L1 set and evict each other (the stage measured 1.5 ms, 0.65
  // with P one vector off). So each plane gets `cpad` unused channels (a copy of the last) that make the
  // plane stride fall in different sets; the products read channels < C only.
  const cpad = planePad(C, P);
  const V = compute([4, 4, C + cpad, P], (eps, nu, cc, p) => {
    const c = cpad > 0 ? cc.min(C - 1) : cc;
    const n = p.floordiv(nH * nW).min(N - 1);
    const y0 = p.floordiv(nW).floormod(nH).mul(2);
    const x0 = p.floormod(nW).mul(2);
    return pick(eps, nu, (e, v) => sparseSum(WINOGRAD_BT[e]!, WINOGRAD_BT[v]!, (a, b) => Pd.at(n, c, y0.add(a), x0.add(b))));
  }, 'winograd_data', { tag: 'winograd_data' });
  // 16 independent products over the input channels: M[eps, nu, o, p] = Σ_c U[eps, nu, o, c]·V[eps, nu, c, p].
  const rc = reduceAxis(C, 'rc');
  const M = compute([4, 4, O, P], (eps, nu, o, p) => sum(U.at(eps, nu, o, rc).mul(V.at(eps, nu, rc, p)), [rc]),
    'winograd_gemm', { tag: 'winograd_gemm' });
  // Output transform Y[n, o, y, x] = Σ Aᵀ[y mod 2, a]·M[a, b, o, p]·Aᵀ[x mod 2, b]: the 4 sparse sums (9 terms
  // each) picked by the position in the 2×2 block.
  return compute(out, (n, o, y, x) => {
    const p = n.mul(nH * nW).add(y.floordiv(2).mul(nW)).add(x.floordiv(2));
    return pick(y.floormod(2), x.floormod(2), (i, j) => sparseSum(WINOGRAD_AT[i]!, WINOGRAD_AT[j]!, (a, b) => M.at(a, b, o, p)), 2);
}, 'conv2d_winograd', { tag: 'conv2d_winograd', attrs });
}
