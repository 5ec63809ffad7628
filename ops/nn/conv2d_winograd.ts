// ops/nn/conv2d_winograd.ts — 3×3, stride-1 convolution by Winograd's minimal filtering F(m×m, 3×3), m = 2 or 4
// (Lavin & Gray 2016, "Fast Algorithms for Convolutional Neural Networks"; TVM topi arm_cpu
// conv2d_nchw_winograd, which uses m = 4): m×m output tiles from α×α input tiles (α = m + 2), α² multiplies per
// tile and channel pair instead of 9·m² (F(2×2): 16 for 36, 2.25× fewer; F(4×4): 36 for 144, 4× fewer; the
// larger tile's transforms lose more float32 bits). Stages: kernel transform U = G·g·Gᵀ, input transform
// V = Bᵀ·d·B, α² batched products M = U·V over input channels, output transform Y = Aᵀ·M·A.

import { constValue, select, wrap, type Expr } from '../../schedule/expr.js';
import { sum } from '../../schedule/reduce.js';
import { compute, placeholder, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { conv2dAttrs, type Conv2dOptions } from './conv2d.js';
import { padNCHW } from './conv_util.js';
import { winogradMatrices, type WinogradTileSize } from './winograd_matrices.js';

export { winogradMatrices, WINOGRAD_F4_POINTS, type WinogradTileSize } from './winograd_matrices.js';

/** F(2×2, 3×3) transform matrices (Lavin & Gray, section 4.1): G 4×3, Bᵀ 4×4, Aᵀ 2×4. */
export const WINOGRAD_G = winogradMatrices(2).G;
export const WINOGRAD_BT = winogradMatrices(2).BT;
export const WINOGRAD_AT = winogradMatrices(2).AT;

/** The anchor tag (and task name prefix) of F(m×m, 3×3): 'conv2d_winograd' for m = 2, 'conv2d_winograd_m4' for 4. */
export function winogradTag(m: WinogradTileSize): 'conv2d_winograd' | 'conv2d_winograd_m4' {
  return m === 2 ? 'conv2d_winograd' : 'conv2d_winograd_m4';
}

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

/** body(i) for the constant i equal to the index expression ei in [0, n), as a select chain. */
function pick1(ei: Expr, body: (i: number) => Expr, n: number): Expr {
  let e = body(n - 1);
  for (let i = n - 2; i >= 0; i--) e = select(ei.eq(i), body(i), e);
  return e;
}

/** body(i, j) for the constant pair (i, j) equal to the index expressions (ei, ej) in [0, n)², as a select chain. */
function pick(ei: Expr, ej: Expr, body: (i: number, j: number) => Expr, n: number): Expr {
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
 * Rows to add to an [α² planes, rows, P] float32 buffer so that its plane stride (rows·P·4 bytes) is not a
 * multiple of 512 bytes: the planes, accessed together, then fall in different L1 sets instead of all in
 * one (a 12-way L1 keeps 12 of the 16 (or 36) lines of a set: the rest are evicted on every access). 0 when already so.
 */
export function planePad(rows: number, P: number): number {
  for (let k = 0; k < 8; k++) if (((rows + k) * P * 4) % 512 !== 0) return k;
  return 0;
}

/** Whether conv2d(X, W, opts) can use F(m×m, 3×3): a 3×3 kernel, stride 1, dilation 1, groups 1. */
export function winogradApplicable(W: Tensor, opts: Conv2dOptions): boolean {
  const one = (v: number | readonly number[] | undefined): boolean => v === undefined || (typeof v === 'number' ? v === 1 : v.every((x) => x === 1));
  return W.ndim === 4 && W.dims[2] === 3 && W.dims[3] === 3 && one(opts.strides) && one(opts.dilation) && (opts.groups ?? 1) === 1;
}

/** The tile size of `opts.tileSize` checked: undefined → 2; anything but 2 or 4 is a RangeError naming `who`. */
function tileSizeOf(m: unknown, who: string): WinogradTileSize {
  if (m === undefined) return 2;
  if (m === 2 || m === 4) return m;
  throw new RangeError(`${who}: tileSize must be 2 (F(2×2, 3×3)) or 4 (F(4×4, 3×3)), got ${JSON.stringify(m)}`);
}

/**
 * Transforms OIHW 3×3 weights [O, C, 3, 3] into the Winograd domain of F(m×m, 3×3) on the host, once at build
 * time (weights are constants of a model; TVM's `contrib_conv2d_winograd_weight_transform`): U[(ε·α + ν), o, c] =
 * Σ G[ε, r1]·g[o, c, r1, r2]·G[ν, r2], α = m + 2, as G·g then ·Gᵀ (computed in float64, rounded once). Returns
 * a Float32Array of shape [α², O, C] ([16, O, C] for m = 2, [36, O, C] for m = 4), the weight `conv2dWinograd`
 * with the same tileSize takes pre-transformed. Throws RangeError starting 'winogradWeightTransform:' when the
 * shape is not [O, C, 3, 3], the data does not fill it, or m is not 2 or 4.
 */
export function winogradWeightTransform(w: Float32Array, shape: readonly number[], tileSize: WinogradTileSize = 2): Float32Array {
  const who = 'winogradWeightTransform';
  const m = tileSizeOf(tileSize, who);
  const [O, C, KH, KW] = shape as [number, number, number, number];
  if (shape.length !== 4 || KH !== 3 || KW !== 3) throw new RangeError(`${who}: weight shape must be [O, C, 3, 3], got [${shape.join(', ')}]`);
  if (w.length !== O * C * 9) throw new RangeError(`${who}: ${w.length} values for shape [${shape.join(', ')}] (expected ${O * C * 9})`);
  const { G } = winogradMatrices(m);
  const alpha = m + 2;
  const u = new Float32Array(alpha * alpha * O * C);
  const gg = new Float64Array(alpha * 3);
  for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) {
    const g = (r1: number, r2: number): number => w[((o * C + c) * 3 + r1) * 3 + r2]!;
    // (G·g)[ε, r2]
    for (let e = 0; e < alpha; e++) for (let r2 = 0; r2 < 3; r2++) gg[e * 3 + r2] = G[e]!.reduce((acc, v, r1) => acc + v * g(r1, r2), 0);
    for (let e = 0; e < alpha; e++) for (let n = 0; n < alpha; n++) {
      u[((e * alpha + n) * O + o) * C + c] = G[n]!.reduce((acc, v, r2) => acc + v * gg[e * 3 + r2]!, 0);
    }
  }
  return u;
}

/** conv2dWinograd's options: conv2d's (strides, dilation 1; groups 1) and the output tile size m. */
export interface Conv2dWinogradOptions extends Conv2dOptions {
  /** m of F(m×m, 3×3): 2 (default; tag 'conv2d_winograd') or 4 (tag 'conv2d_winograd_m4'). */
  readonly tileSize?: WinogradTileSize;
}

/**
 * conv2d for a 3×3 kernel with stride 1, dilation 1, groups 1, any padding, by F(m×m, 3×3), m = opts.tileSize
 * (2 or 4, default 2), α = m + 2.
 * X: [N, C, H, W] float32; W: [O, C, 3, 3] (transformed in the kernel), or [α², O, C] already transformed by
 * `winogradWeightTransform` with the same tile size on the host (TVM's `conv2d_winograd_without_weight_transform`:
 * the weights of a model are constants, and the in-kernel transform costs α²·O·C values per run, most of C12's
 * time); result [N, O, OH, OW] (tag `winogradTag(m)`: 'conv2d_winograd' or 'conv2d_winograd_m4', the same values
 * as conv2d up to float rounding). Throws RangeError starting 'conv2dWinograd:' for another kernel size, stride,
 * dilation, groups or tile size, or a transformed weight whose shape disagrees with the data or the tile size, and
 * conv2d's errors otherwise.
 */
export function conv2dWinograd(X: Tensor, W: Tensor, opts: Conv2dWinogradOptions = {}): Tensor {
  const m = tileSizeOf(opts.tileSize, 'conv2dWinograd');
  const alpha = m + 2;
  const { G, BT, AT } = winogradMatrices(m);
  const pre = W.ndim === 3;
  if (pre && (W.dims[0] !== alpha * alpha || W.dims[2] !== X.dims[1])) {
    throw new RangeError(`conv2dWinograd: a pre-transformed weight of F(${m}×${m}, 3×3) must be [${alpha * alpha}, O, C] with C = ${X.dims[1]} (winogradWeightTransform), got [${W.dims.join(', ')}]`);
  }
  // The checks and attributes of the equivalent [O, C, 3, 3] convolution; kernel_shape stays W's own shape,
  // so the workload [X, W, padding] rebuilds the same op.
  const raw = pre ? placeholder([W.dims[1]!, W.dims[2]!, 3, 3], 'float32', W.name) : W;
  const { attrs: rawAttrs, out } = conv2dAttrs('conv2dWinograd', X, raw, opts);
  const attrs = { ...rawAttrs, kernel_shape: [...W.dims], tile_size: m };
  if (!winogradApplicable(raw, opts)) {
    throw new RangeError(`conv2dWinograd: F(${m}×${m}, 3×3) needs a 3×3 kernel, stride 1, dilation 1 and groups 1; got kernel ${raw.dims[2]}×${raw.dims[3]}, ` +
      `strides [${attrs.strides}], dilation [${attrs.dilation}], groups ${attrs.groups} (use conv2d)`);
  }
  const [N, C, H, Wd] = X.dims as [number, number, number, number];
  const [, O, OH, OW] = out;
  const [top, left] = attrs.padding;
  const nH = Math.ceil(OH / m);
  const nW = Math.ceil(OW / m);
  // Tiles, rounded up to a multiple of 8 so the products' tile axis splits into whole f32x4 vectors; the
  // extra tiles read the last image's tiles again and are never used by the output transform.
  const P = Math.ceil((N * nH * nW) / 8) * 8;
  // Kernel transform U[eps, nu, o, c] = Σ G[eps, r1]·g[o, c, r1, r2]·G[nu, r2] (weights only: constant in a
  // model), or a view of the pre-transformed weight (inlined by the schedule).
  let U: Tensor;
  if (pre) {
    U = compute([alpha, alpha, O, C], (eps, nu, o, c) => W.at(eps.mul(alpha).add(nu), o, c), 'winograd_kernel_view', { tag: 'injective' });
  } else {
    const r1 = reduceAxis(3, 'r_kh');
    const r2 = reduceAxis(3, 'r_kw');
    U = compute([alpha, alpha, O, C], (eps, nu, o, c) => sum(
      W.at(o, c, r1, r2).mul(constMatrix(G, eps, wrap(r1))).mul(constMatrix(G, nu, wrap(r2))), [r1, r2]),
    'winograd_kernel', { tag: 'winograd_kernel' });
  }
  // Input transform V[eps, nu, c, p] = Σ Bᵀ[eps, a]·d[c, p, a, b]·Bᵀ[nu, b], d the α×α tile of tile p in the
  // input padded to whole tiles. Written as sparse sums picked by eps and nu (select chains): once eps and nu
  // are unrolled the choice folds away and no zero coefficient is multiplied.
  const Pd = padNCHW(X, [top, left, m * nH + 2 - H - top, m * nW + 2 - Wd - left]);
  // Its α² (ε, ν) planes are written together, C·P floats apart: with C·P·4 bytes a multiple of 4 KiB (C6:
  // 128 × 200) the store streams fall in one L1 set and evict each other (the stage measured 1.5 ms, 0.65
  // with P one vector off). So each plane gets `cpad` unused channels (a copy of the last) that make the
  // plane stride fall in different sets; the products read channels < C only.
  const cpad = planePad(C, P);
  const tileOrigin = (p: Expr): { n: Expr; y0: Expr; x0: Expr } =>
    ({ n: p.floordiv(nH * nW).min(N - 1), y0: p.floordiv(nW).floormod(nH).mul(m), x0: p.floormod(nW).mul(m) });
  // As TVM's arm_cpu `input_tile`, the tiles are first gathered with the tile axis innermost, D[c, a, b, p] =
  // d[c, p, a, b], so the sums can read whole f32x4 vectors of 4 tiles and run vectorized along p (the
  // schedule's choice: F(4×4)'s sums have up to 25 terms, too many for scalar code; F(2×2)'s 4-term sums may
  // also stay scalar, D inlined into V: the wasm knob `vec_transform`, the WebGPU schedule).
  const D = compute([C, alpha, alpha, P], (c, a, b, p) => {
    const { n, y0, x0 } = tileOrigin(p);
    return Pd.at(n, c, y0.add(a), x0.add(b));
  }, 'winograd_input_tile', { tag: 'winograd_input_tile' });
  let V: Tensor;
  if (m === 2) {
    // F(2×2): one pass, each of the 16 values a 4-term sum of d (two passes would add the same 64 terms a tile
    // and store T); with D inlined this is the scalar transform as before session 18, expression for expression.
    V = compute([alpha, alpha, C + cpad, P], (eps, nu, cc, p) => {
      const c = cpad > 0 ? cc.min(C - 1) : cc;
      return pick(eps, nu, (e, v) => sparseSum(BT[e]!, BT[v]!, (a, b) => D.at(c, a, b, p)), alpha);
    }, 'winograd_data', { tag: 'winograd_data' });
  } else {
    // F(4×4): Bᵀ·d·B in two passes (as NNPACK and ncnn do): the rows T = Bᵀ·d, then the columns V = T·B,
    // 2·α·nnz(Bᵀ) = 312 terms per tile instead of nnz(Bᵀ)² = 676.
    const T = compute([C, alpha, alpha, P], (c, eps, b, p) => pick1(eps, (e) => sparseSum(BT[e]!, [1], (a) => D.at(c, a, b, p)), alpha),
      'winograd_data_rows', { tag: 'winograd_data_rows' });
    V = compute([alpha, alpha, C + cpad, P], (eps, nu, cc, p) => {
      const c = cpad > 0 ? cc.min(C - 1) : cc;
      return pick1(nu, (v) => sparseSum(BT[v]!, [1], (b) => T.at(c, eps, b, p)), alpha);
    }, 'winograd_data', { tag: 'winograd_data' });
  }
  // α² independent products over the input channels: M[eps, nu, o, p] = Σ_c U[eps, nu, o, c]·V[eps, nu, c, p].
  const rc = reduceAxis(C, 'rc');
  const M = compute([alpha, alpha, O, P], (eps, nu, o, p) => sum(U.at(eps, nu, o, rc).mul(V.at(eps, nu, rc, p)), [rc]),
    'winograd_gemm', { tag: 'winograd_gemm' });
  // Output transform Y[n, o, y, x] = Σ Aᵀ[y mod m, a]·M[a, b, o, p]·Aᵀ[x mod m, b]: the m² sparse sums (F(2×2):
  // 9 terms each) picked by the position in the m×m block.
  const tag = winogradTag(m);
  const tileOf = (n: Expr, y: Expr, x: Expr): Expr => n.mul(nH * nW).add(y.floordiv(m).mul(nW)).add(x.floordiv(m));
  // As TVM's arm_cpu `inverse`, a stage I[o, i, j, p] with the tile axis innermost (its sums vectorized along p,
  // reading M's rows), then the output reads its value out of I (or, I inlined, picks the sum by its position).
  const I = compute([O, m, m, P], (o, i, j, p) => pick(i, j, (ci, cj) => sparseSum(AT[ci]!, AT[cj]!, (a, b) => M.at(a, b, o, p)), m),
    'winograd_inverse', { tag: 'winograd_inverse' });
  return compute(out, (n, o, y, x) => I.at(o, y.floormod(m), x.floormod(m), tileOf(n, y, x)), tag, { tag, attrs });
}
