// ops/pow_scalar.ts — x ** c for a constant scalar exponent c, without the general pow where a cheaper exact form
// exists. Exported models mostly call Pow with a constant: LayerNorm decomposed by older exporters is
// Pow(x − mean, 2), GELU's tanh form has Pow(x, 3). The general float32 pow on wasm (codegen/wasm/powf32.ts,
// log2/exp2 in f64) costs about 8× an exp; x·x costs one multiply.
//
// Each form returns what onnxruntime's CPU Pow returns, special values included (C99 Annex F pow):
//  c = 1    x            pow(x, 1) = x exactly, NaN and ±0 included.
//  c = 2    x·x          onnxruntime computes x*x for a scalar exponent 2 (element_wise_ops.cc PowImpl): bit equal.
//  c = 3    (x·x)·x      onnxruntime computes x*x*x (left to right) for 3: bit equal; (−0)³ = −0.
//  c = 0    1            pow(x, 0) = 1 for every x, NaN included.
//  c = −1   1/x          the correctly rounded pow(x, −1); pow(±0, −1) = ±∞ and pow(±∞, −1) = ±0, as 1/x gives.
//  c = 0.5  √x, with +0 at x = ±0 and +∞ at x = −∞
//                        onnxruntime calls powf for 0.5: powf(−0, 0.5) = +0 where √−0 = −0, and powf(−∞, 0.5) = +∞
//                        where √−∞ = NaN, hence the selects; √x is correctly rounded, glibc's powf within 1 ulp of it.
//                        LLVM's LibCallSimplifier makes the same rewrite (replacePowWithSqrt: −∞ ? +∞ : |√x|).
//  c = −0.5 1/√x, with +∞ at x = ±0 and +0 at x = −∞
//                        powf(±0, −0.5) = +∞ (1/√−0 would be −∞), powf(−∞, −0.5) = +0; x < 0 gives NaN as powf does.
//                        Two roundings: within about 1 ulp of the correctly rounded result.
// Other exponents (2.5, 4, …) keep the general pow: repeated multiplication drifts from powf for large powers.

import * as te from '../schedule/index.js';
import type { Expr } from '../schedule/expr.js';

/** The exponents powByScalar rewrites. */
export const POW_SCALAR_EXPONENTS: readonly number[] = [0, 1, 2, 3, -1, 0.5, -0.5];

/**
 * x ** c as cheaper float32 arithmetic for c in POW_SCALAR_EXPONENTS (see the file comment for why each matches
 * onnxruntime), or undefined for any other c (the caller keeps te.pow). x is a float32 expression; it is read
 * more than once for 2 and 3 (an inlined producer is recomputed, as hardSwish's and gelu's operands are).
 */
export function powByScalar(x: Expr, c: number): Expr | undefined {
  switch (c) {
    case 0: return te.const(1, 'float32');
    case 1: return x;
    case 2: return x.mul(x);
    case 3: return x.mul(x).mul(x);
    case -1: return te.const(1, 'float32').div(x);
    // ±0 and −∞ by selects, not |√x|: Vulkan drivers need not keep the sign of a zero through fabs (lavapipe
    // gives |√−0| = −0), and a literal +0 or +∞ has no sign to lose.
    case 0.5: return te.select(x.eq(0), 0, te.select(x.eq(-Infinity), Infinity, te.sqrt(x)));
    case -0.5: return te.select(x.eq(0), Infinity, te.select(x.eq(-Infinity), 0, te.const(1, 'float32').div(te.sqrt(x))));
    default: return undefined;
  }
}
