// tests/reference/plain_js.ts — independent references for end-to-end tests: the operators the
// suites build, written directly in plain JS on flat row-major arrays (float32 rounding at the
// end, accumulation in float64), so a compiler fault cannot hide in the reference.

/** C[M,N] = A[M,K] · B[K,N]. */
export function matmulRef(a: ArrayLike<number>, b: ArrayLike<number>, M: number, N: number, K: number): Float32Array {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a[i * K + k]! * b[k * N + j]!;
      c[i * N + j] = acc;
    }
  }
  return c;
}

/** out[i] = Σ_k A[i,k] for A[M,K]. */
export function rowSumRef(a: ArrayLike<number>, M: number, K: number): Float32Array {
  const out = new Float32Array(M);
  for (let i = 0; i < M; i++) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += a[i * K + k]!;
    out[i] = acc;
  }
  return out;
}

/** Elementwise map of one or more equally long arrays. */
export function mapRef(n: number, fn: (i: number) => number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => fn(i));
}

/** Largest |a − b| / max(1, |b|); NaN on a length mismatch or where only one side is NaN. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return NaN;
      continue;
    }
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
  }
  return worst;
}

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), independent of the compiler's own. */
export function erfRef(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** Rounds half to even (WGSL round, TVM round), unlike Math.round's half-up. */
export function roundEvenRef(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const sigmoidRef = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * C99 powf (Annex F; what numpy and onnxruntime's std::pow give) rounded to float32: Math.pow in double, except
 * where ECMAScript departs from C99 — pow(1, y) = 1 for every y (NaN included) and pow(−1, ±inf) = 1 (JS: NaN).
 */
export function powfRef(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.fround(Math.pow(x, y));
}

/**
 * Y[M,N] = X[M,K] · W, with W stored as B[K,N] (`'kn'`, matmul) or as Wᵀ [N,K] (`'nk'`, dense / ONNX Gemm
 * transB). Accumulates in float64 as the other references.
 */
export function productRef(x: ArrayLike<number>, w: ArrayLike<number>, M: number, K: number, N: number, wLayout: 'kn' | 'nk'): Float32Array {
  const y = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[i * K + k]! * (wLayout === 'nk' ? w[j * K + k]! : w[k * N + j]!);
      y[i * N + j] = s;
    }
  }
  return y;
}

/** The first element of a product outside 1e-4 absolute + 1e-4 relative of productRef's, as a message; else undefined. */
export function productMismatch(got: ArrayLike<number>, want: ArrayLike<number>): string | undefined {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= 1e-4 + 1e-4 * Math.abs(want[i]!))) return `Y[${i}] = ${got[i]}, expected ${want[i]}`;
  }
  return undefined;
}

/** n values in [−1, 1), the same for the same seed (a 32-bit LCG, Numerical Recipes' constants). */
export function seededValues(n: number, seed: number): Float32Array {
  let x = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 31 - 1;
  });
}
