// codegen/wasm/powf32.ts — pow(x, y) on float32, scalar f32 and f32x4 from one description (the same
// bits per lane). exp(y·log|x|) evaluated in float32 would lose |y·log x|·2^−24 relative (≈ 90 ulp near
// the overflow edge), so as C's powf does (glibc/ARM compute log2 and exp2 in double) the core runs in
// f64 — on f32x4, each half as f64x2 through the same function: |x| = 2^n·(1 + r) split exactly on the
// float32 bits (logf32.ts's splitLog), log2|x| = n + log2e·2·atanh(s), s = r/(2 + r), |s| ≤ 1/5, by its
// odd series to s¹³ (truncation < 1e-11 relative); t = y·log2|x| clamped to [−160, 130] (beyond, the
// float32 result is 0 or inf); 2^t = 2^k·exp((t − k)·ln2), k = round(t), t − k exact, exp by Taylor to
// degree 9 (< 1e-11), 2^k from the exponent field; rounded once to f32. Working in log2 keeps exact
// powers of two exact (pow(2, −150) is a tie and rounds to 0, as in C).
// Then C99's (and numpy's, onnxruntime's std::pow) special cases in float32: pow(x, ±0) = 1 and
// pow(1, y) = 1 even for NaN, pow(−1, ±inf) = 1, a negative finite base with a non-integer exponent is
// NaN, an odd integer exponent keeps the sign of x (−0 and −inf included); zeros, infinities and
// NaN otherwise fall out of log2|x| = −inf/+inf/NaN and the clamp.

import binaryen from 'binaryen';
import type { Ref } from './func_context.js';
import type { FOps, MathHelper } from './fops.js';
import { splitLog } from './logf32.js';

type M = binaryen.Module;

/** log2(1 + r)/s = log2e·2·atanh(s)/s = log2e·2·(1 + z/3 + z²/5 + … + z⁶/13), z = s². */
const ATANH = [1, 3, 5, 7, 9, 11, 13].map((d) => (2 * Math.LOG2E) / d);
/** exp(g) = Σ g^k/k!, k ≤ 9. */
const EXP_TAYLOR = Array.from({ length: 10 }, (_, k) => 1 / Array.from({ length: k }, (_, i) => i + 1).reduce((a, b) => a * b, 1));

/** The f64 ops of the core, on f64 or f64x2. */
interface DOps {
  readonly m: M;
  readonly ty: binaryen.Type;
  c(x: number): Ref;
  add(a: Ref, b: Ref): Ref; sub(a: Ref, b: Ref): Ref; mul(a: Ref, b: Ref): Ref; div(a: Ref, b: Ref): Ref;
  min(a: Ref, b: Ref): Ref; max(a: Ref, b: Ref): Ref; nearest(a: Ref): Ref; eq(a: Ref, b: Ref): Ref; ne(a: Ref, b: Ref): Ref;
  sel(cond: Ref, a: Ref, b: Ref): Ref;
  /** 2^k for an integral k in the normal double range. */
  pow2(k: Ref): Ref;
}

function dops(m: M, vector: boolean): DOps {
  if (!vector) {
    const f = m.f64;
    return {
      m, ty: binaryen.f64, c: (x) => f.const(x),
      add: f.add, sub: f.sub, mul: f.mul, div: f.div, min: f.min, max: f.max, nearest: f.nearest, eq: f.eq, ne: f.ne,
      sel: (c, a, b) => m.select(c, a, b),
      pow2: (k) => f.reinterpret(m.i64.shl(m.i64.add(m.i64.trunc_s_sat.f64(k), m.i64.const(1023n)), m.i64.const(52n))),
    };
  }
  const f = m.f64x2;
  return {
    m, ty: binaryen.v128, c: (x) => f.splat(m.f64.const(x)),
    add: f.add, sub: f.sub, mul: f.mul, div: f.div, min: f.min, max: f.max, nearest: f.nearest, eq: f.eq, ne: f.ne,
    sel: (c, a, b) => m.v128.bitselect(a, b, c),
    pow2: (k) => m.i64x2.shl(m.i64x2.add(m.i64x2.extend_low_i32x4_s(m.i32x4.trunc_sat_f64x2_s_zero(k)), m.i64x2.splat(m.i64.const(1023n))), m.i32.const(52)),
  };
}

function horner(d: DOps, x: () => Ref, c: readonly number[]): Ref {
  let acc = d.c(c[c.length - 1]!);
  for (let k = c.length - 2; k >= 0; k--) acc = d.add(d.c(c[k]!), d.mul(x(), acc));
  return acc;
}

/** The f64 core: params n, r, y, |x| (0–3); locals s (4), z (5, later g), l (6, log2|x|), t (7), k (8); returns |x|^y. */
function coreBody(d: DOps): Ref {
  const m = d.m;
  const get = (i: number) => (): Ref => m.local.get(i, d.ty);
  const [n, r, y, ax, s, z, l, t, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(get) as (() => Ref)[] as [
    () => Ref, () => Ref, () => Ref, () => Ref, () => Ref, () => Ref, () => Ref, () => Ref, () => Ref];
  return m.block(null, [
    m.local.set(4, d.div(r(), d.add(d.c(2), r()))),
    m.local.set(5, d.mul(s(), s())),
    m.local.set(6, d.add(n(), d.mul(s(), horner(d, z, ATANH)))),
    m.local.set(6, d.sel(d.eq(ax(), d.c(0)), d.c(-Infinity), l())),
    m.local.set(6, d.sel(d.eq(ax(), d.c(Infinity)), d.c(Infinity), l())),
    m.local.set(6, d.sel(d.ne(ax(), ax()), ax(), l())),
    m.local.set(7, d.min(d.max(d.mul(y(), l()), d.c(-160)), d.c(130))),
    m.local.set(8, d.nearest(t())),
    // z := g = (t − k)·ln2, |g| ≤ ln2/2
    m.local.set(5, d.mul(d.sub(t(), k()), d.c(Math.LN2))),
    m.return(d.mul(horner(d, z, EXP_TAYLOR), d.pow2(k()))),
  ], d.ty);
}

const coreName = (vector: boolean): string => (vector ? 'tt_vpowcore64x2' : 'tt_powcore64');

/** |x|^y through the f64 core, rounded to float32: f32 args promoted, or each f32x4 half as f64x2. */
function viaCore(o: FOps, args: readonly (() => Ref)[]): Ref {
  const m = o.m;
  const vector = o.ty === binaryen.v128;
  if (!vector) return m.f32.demote(m.call(coreName(false), args.map((a) => m.f64.promote(a())), binaryen.f64));
  const swap = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
  const half = (hi: boolean): Ref => m.f32x4.demote_f64x2_zero(m.call(coreName(true),
    args.map((a) => m.f64x2.promote_low_f32x4(hi ? m.i8x16.shuffle(a(), a(), swap) : a())), binaryen.v128));
  return m.i8x16.shuffle(half(false), half(true), [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
}

/** Body of pow over params x (0), y (1); locals n (2), r (3), u (4, integer), |x| (5), result (6). */
function powBody(o: FOps): Ref {
  const m = o.m;
  const get = (i: number) => (): Ref => m.local.get(i, o.ty);
  const [x, y, n, r, ax, res] = [get(0), get(1), get(2), get(3), get(5), get(6)];
  const isInt = (): Ref => o.eq(o.floor(y()), y());
  const half = (): Ref => o.mul(y(), o.c(0.5));
  const odd = o.andNot(isInt(), o.eq(o.floor(half()), half()));
  const negFinite = o.and(o.lt(x(), o.c(0)), o.gt(x(), o.c(-Infinity)));
  const one = o.or(o.or(o.eq(y(), o.c(0)), o.eq(x(), o.c(1))), o.and(o.eq(ax(), o.c(1)), o.eq(o.abs(y()), o.c(Infinity))));
  return m.block(null, [
    m.local.set(5, o.abs(x())),
    ...splitLog(o, ax, 2, 3, 4),
    m.local.set(6, viaCore(o, [n, r, y, ax])),
    m.local.set(6, o.sel(odd, o.copysign(res(), x()), res())),
    m.local.set(6, o.sel(o.andNot(negFinite, isInt()), o.c(NaN), res())),
    m.return(o.sel(one, o.c(1), res())),
  ], o.ty);
}

export const POWF_HELPER: MathHelper = {
  params: 2, deps: [],
  locals: (o) => [o.ty, o.ty, o.intTy, o.ty, o.ty],
  body: (o) => powBody(o),
  extra: (m, vector) => ({
    name: coreName(vector),
    add: () => {
      const d = dops(m, vector);
      m.addFunction(coreName(vector), binaryen.createType([d.ty, d.ty, d.ty, d.ty]), d.ty, [d.ty, d.ty, d.ty, d.ty, d.ty], coreBody(d));
    },
  }),
};
