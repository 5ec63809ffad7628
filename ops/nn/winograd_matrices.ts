// ops/nn/winograd_matrices.ts — the transform matrices of Winograd's minimal filtering F(m×m, 3×3) (Lavin & Gray
// 2016, "Fast Algorithms for Convolutional Neural Networks", section 4): G (α×3), Bᵀ (α×α), Aᵀ (m×α), α = m + 2.
// F(2×2, 3×3): Lavin & Gray's own matrices (section 4.1), as written. F(4×4, 3×3): the Toom-Cook construction on
// TVM's interpolation points (topi/nn/winograd_util.py `_interpolation_points(5)` = 0, −1, 1, ½, −2, and ∞; the
// points of Barabasz et al. 2018, "Error Analysis and Improving the Accuracy of Winograd Convolution for Deep
// Neural Networks", chosen there for the smallest float32 error), computed here in float64.

/** An output tile size of F(m×m, 3×3) that ops.conv2dWinograd implements. */
export type WinogradTileSize = 2 | 4;

/** The three matrices of F(m×m, r×r): U = G·g·Gᵀ, V = Bᵀ·d·B, Y = Aᵀ·(U ⊙ V)·A. */
export interface WinogradMatrices {
  /** α×r: the kernel transform. */
  readonly G: readonly (readonly number[])[];
  /** α×α: the input transform. */
  readonly BT: readonly (readonly number[])[];
  /** m×α: the output transform. */
  readonly AT: readonly (readonly number[])[];
}

/** F(2×2, 3×3) (Lavin & Gray, section 4.1): points 0, 1, −1, ∞. */
const F2: WinogradMatrices = {
  G: [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]],
  BT: [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
  AT: [[1, 1, 1, 0], [0, 1, -1, -1]],
};

/** TVM's interpolation points for F(4, 3) (winograd_util.py, degree 5); the point at infinity is implied. */
export const WINOGRAD_F4_POINTS: readonly number[] = [0, -1, 1, 0.5, -2];

/** Coefficients (lowest power first) of Π (x − rᵢ) over `roots`. */
function polyFromRoots(roots: readonly number[]): number[] {
  let c = [1];
  for (const r of roots) {
    const next = new Array<number>(c.length + 1).fill(0);
    c.forEach((v, i) => {
      next[i + 1]! += v;
      next[i]! -= r * v;
    });
    c = next;
  }
  return c;
}

/**
 * Toom-Cook F(m, r) from α − 1 finite points pⱼ and ∞ (α = m + r − 1), the transpose of the linear
 * convolution algorithm h = C·((G_c·g) ⊙ (A_c·e)) that evaluates g and e at the points and interpolates h:
 * Aᵀ[i][j] = pⱼⁱ (column α−1: eₘ₋₁, the leading coefficient); G[j][k] = pⱼᵏ / Πₖ'≠ⱼ (pⱼ − pₖ') (row α−1: e_r−1);
 * Bᵀ row j = the coefficients of Πₖ'≠ⱼ (x − pₖ') (Lagrange's numerator), row α−1 those of Πₖ (x − pₖ).
 * Then Σ_k g[k]·d[i + k] = (Aᵀ·((G·g) ⊙ (Bᵀ·d)))[i] for i < m. Throws RangeError for repeated points or a
 * count that is not m + r − 2.
 */
export function toomCookMatrices(points: readonly number[], m: number, r: number): WinogradMatrices {
  const alpha = m + r - 1;
  if (points.length !== alpha - 1) throw new RangeError(`toomCookMatrices: F(${m}, ${r}) needs ${alpha - 1} finite points, got ${points.length}`);
  if (new Set(points).size !== points.length) throw new RangeError(`toomCookMatrices: the points must differ, got [${points.join(', ')}]`);
  const last = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => (i === k ? 1 : 0));
  const AT = Array.from({ length: m }, (_, i) => [...points.map((p) => p ** i), i === m - 1 ? 1 : 0]);
  const G = points.map((p, j) => {
    const f = points.reduce((acc, q, k) => (k === j ? acc : acc * (p - q)), 1);
    return Array.from({ length: r }, (_, k) => p ** k / f);
  });
  G.push(last(r, r - 1));
  const BT = points.map((_, j) => polyFromRoots(points.filter((_, k) => k !== j)).concat(0));
  BT.push(polyFromRoots(points));
  return { G, BT, AT };
}

const F4: WinogradMatrices = toomCookMatrices(WINOGRAD_F4_POINTS, 4, 3);

/** The matrices of F(m×m, 3×3) for m = 2 or 4; a RangeError naming the tile size otherwise. */
export function winogradMatrices(m: number): WinogradMatrices {
  if (m === 2) return F2;
  if (m === 4) return F4;
  throw new RangeError(`winogradMatrices: tile size ${m} is not supported (F(2×2, 3×3) or F(4×4, 3×3): 2 or 4)`);
}
