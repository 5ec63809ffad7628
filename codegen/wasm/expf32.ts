// codegen/wasm/expf32.ts — exp, sigmoid and tanh in float32, written once over the ops table of fops.ts and
// instantiated twice by mathf32.ts: on scalar f32 (tt_expf32, …) and on f32x4 (tt_vexp, …). Wasm float ops are
// IEEE round-to-nearest with no contraction, and f32x4 lanes follow the scalar f32 rules, so the
// same sequence of ops gives the same bits in a scalar tail and in a vector lane.
//
// exp: ARM optimized-routines' expf (math/v_expf.c, also ggml's ggml_v_expf): n = round(x·log2e),
// r = x − n·ln2_hi − n·ln2_lo (ln2_hi = 0x1.62e4p-1 has 15 significant bits, so n·ln2_hi is exact
// for |n| ≤ 2^9), exp(r) − 1 ≈ c0·r + r²·((c1 + c2·r) + r²·(c3 + c4·r)) on [−ln2/2, ln2/2], and 2^n
// as two factors built by an integer add to the exponent field, (s1 + s1·p)·s2, so n in
// [−150, 128] stays in the normal range for each factor: results below 2^−126 come out as
// subnormals (gradual underflow, not flushed; one extra rounding there), x above ln(FLT_MAX) ≈ 88.7228
// overflows to +inf (x clamped to 89 first), below ≈ −103.972 rounds to 0 (clamped to −104), NaN → NaN.
// Measured max error against Math.exp rounded to f32: 2 ulp (tests/codegen/wasm/expf32.test.ts, docs/wasm.md).
// tanh: Cody & Waite (Software Manual for the Elementary Functions, 1980, ch. 13; the ≤ 24-bit
// rational as in SVR4 libm tanhf.c): |x| ≤ ln3/2: x + x·g·(p1·g + p0)/(g + q0), g = x²; above:
// 1 − 2/(exp(2|x|) + 1); x itself below 1e-5 and ±1 beyond 10, as the f64 helper does.

import type { Ref } from './func_context.js';
import { hexFloat, type FOps, type MathHelper } from './fops.js';

const LOG2E = hexFloat('0x1.715476p+0');
const LN2_HI = hexFloat('0x1.62e4p-1');
const LN2_LO = hexFloat('0x1.7f7d1cp-20');
/** exp(r) − 1 ≈ C0·r + C1·r² + C2·r³ + C3·r⁴ + C4·r⁵ (ARM optimized-routines math/v_expf.c). */
export const EXPF_COEFFS: readonly number[] = ['0x1.ffffecp-1', '0x1.fffdb6p-2', '0x1.555e66p-3', '0x1.573e2ep-5', '0x1.0e4020p-7'].map(hexFloat);
/** Cody & Waite's tanh rational for ≤ 24 bits: R(g) = g·(P1·g + P0)/(g + Q0). */
const TANH_P0 = -0.8237728127;
const TANH_P1 = -0.3831010665e-2;
const TANH_Q0 = 2.471319654;
const LN3_HALF = 0.5493061443340549;

/** Body of exp over param 0; locals 1 (n), 2 (r), 3 (p), 4 (k: i32 or v128). */
function expBody(o: FOps): Ref {
  const m = o.m;
  const get = (i: number) => (): Ref => m.local.get(i, o.ty);
  const [x, n, r, p] = [get(0), get(1), get(2), get(3)];
  const r2 = (): Ref => o.mul(r(), r());
  const [c0, c1, c2, c3, c4] = EXPF_COEFFS.map((c) => o.c(c)) as [Ref, Ref, Ref, Ref, Ref];
  const [s1, s2] = o.pow2Halves(n(), 4);
  return m.block(null, [
    // Clamping first keeps n in [−150, 128] (2^n exact in two normal factors); NaN passes min/max.
    m.local.set(0, o.min(o.max(x(), o.c(-104)), o.c(89))),
    m.local.set(1, o.nearest(o.mul(x(), o.c(LOG2E)))),
    m.local.set(2, o.sub(o.sub(x(), o.mul(n(), o.c(LN2_HI))), o.mul(n(), o.c(LN2_LO)))),
    m.local.set(3, o.add(o.mul(c0, r()), o.mul(r2(), o.add(o.add(c1, o.mul(c2, r())), o.mul(r2(), o.add(c3, o.mul(c4, r()))))))),
    // n is dead now: its local takes s1 (whose block also sets k, read by s2).
    m.local.set(1, s1),
    m.return(o.mul(o.add(n(), o.mul(n(), p())), s2)),
  ], o.ty);
}

/**
 * Body of sigmoid over param 0; local 1 (e). With e = exp(−|x|) ≤ 1: 1/(1 + e) for x ≥ 0 and
 * e/(1 + e) for x < 0 (XNNPACK's f32-vsigmoid form), so the far negative tail keeps its tiny and
 * subnormal values instead of 1/(1 + inf) = 0.
 */
function sigmoidBody(o: FOps, exp: string): Ref {
  const m = o.m;
  const x = (): Ref => m.local.get(0, o.ty);
  const e = (): Ref => m.local.get(1, o.ty);
  return m.block(null, [
    m.local.set(1, m.call(exp, [o.sub(o.c(0), o.abs(x()))], o.ty)),
    m.return(o.div(o.sel(o.lt(x(), o.c(0)), e(), o.c(1)), o.add(o.c(1), e()))),
  ], o.ty);
}

/** Body of tanh over param 0; locals 1 (|x|), 2 (g), 3 (the result's magnitude). */
function tanhBody(o: FOps, exp: string): Ref {
  const m = o.m;
  const get = (i: number) => (): Ref => m.local.get(i, o.ty);
  const [x, a, g, y] = [get(0), get(1), get(2), get(3)];
  const rational = o.add(a(), o.div(o.mul(o.mul(a(), g()), o.add(o.mul(o.c(TANH_P1), g()), o.c(TANH_P0))), o.add(g(), o.c(TANH_Q0))));
  const viaExp = o.sub(o.c(1), o.div(o.c(2), o.add(m.call(exp, [o.add(a(), a())], o.ty), o.c(1))));
  return m.block(null, [
    m.local.set(1, o.abs(x())),
    m.local.set(2, o.mul(a(), a())),
    m.local.set(3, o.sel(o.gt(a(), o.c(LN3_HALF)), viaExp, rational)),
    m.local.set(3, o.sel(o.gt(a(), o.c(10)), o.c(1), y())),
    m.local.set(3, o.sel(o.lt(a(), o.c(1e-5)), a(), y())),
    m.return(o.copysign(y(), x())),
  ], o.ty);
}


/** exp, sigmoid and tanh as helpers (locals after the parameter, body, the helpers each one calls). */
export const EXPF_HELPERS: Readonly<Record<'exp' | 'sigmoid' | 'tanh', MathHelper>> = {
  exp: { params: 1, deps: [], locals: (o) => [o.ty, o.ty, o.ty, o.intTy], body: (o) => expBody(o) },
  sigmoid: { params: 1, deps: ['exp'], locals: (o) => [o.ty], body: (o, dep) => sigmoidBody(o, dep('exp')) },
  tanh: { params: 1, deps: ['exp'], locals: (o) => [o.ty, o.ty, o.ty], body: (o, dep) => tanhBody(o, dep('exp')) },
};
