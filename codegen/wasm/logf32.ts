// codegen/wasm/logf32.ts — natural log in float32 over the FOps table (scalar f32 and f32x4, the same
// bits), after ARM optimized-routines' AdvSIMD logf (math/v_logf.c, quoted at 3.34 ulp with fma):
// x = 2^n·(1 + r) with 1 + r in [2/3, 4/3) found by integer ops on the bits (subtract the bits of 2/3,
// the exponent field is n, the mantissa field plus the bits of 2/3 is 1 + r; r = (1 + r) − 1 exact),
// log x = n·ln2 + r + r²·P(r), P of degree 6 (minimax, ARM's coefficients). Wasm has no fma, so
// n·ln2 is split Cody–Waite style (ln2_hi with 15 significant bits makes n·ln2_hi exact) and the
// small terms are summed first. Subnormal x are scaled by 2^23 first (n − 23); special values as C's
// logf: log(±0) = −inf, log(x < 0) = NaN, log(+inf) = +inf, NaN → NaN.
// Measured max error against Math.log rounded to f32: see docs/wasm.md (tests/codegen/wasm/logf32.test.ts).

import type { Ref } from './func_context.js';
import { hexFloat, hornerF, type FOps, type MathHelper } from './fops.js';

/** P1…P7 of log(1 + r) ≈ r + r²·(P1 + P2·r + … + P7·r⁶) (ARM optimized-routines math/v_logf.c). */
export const LOGF_POLY: readonly number[] = [
  '-0x1.ffffc8p-2', '0x1.555d7cp-2', '-0x1.00187cp-2', '0x1.961348p-3', '-0x1.4f9934p-3', '0x1.5a9aa2p-3', '-0x1.3e737cp-3',
].map(hexFloat);
const LN2_HI = hexFloat('0x1.62e4p-1');
const LN2_LO = hexFloat('0x1.7f7d1cp-20');
/** The bits of 0x1.555556p-1 ≈ 2/3: subtracting them puts 1 + r in [2/3, 4/3). */
const OFF = 0x3f2aaaab;
const MANTISSA = 0x007fffff;
const MIN_NORMAL = 2 ** -126;

/**
 * Sets locals n and r so that x = 2^n·(1 + r), 2/3 ≤ 1 + r < 4/3, both exact (n an integral float),
 * for positive finite x, subnormals included; `u` is an integer local. Other x give finite garbage.
 * Shared by log and pow.
 */
export function splitLog(o: FOps, x: () => Ref, n: number, r: number, u: number): Ref[] {
  const m = o.m;
  const sub = (): Ref => o.lt(x(), o.c(MIN_NORMAL));
  const uu = (): Ref => m.local.get(u, o.intTy);
  return [
    m.local.set(n, o.sel(sub(), o.c(-23), o.c(0))),
    m.local.set(u, o.isub(o.bits(o.sel(sub(), o.mul(x(), o.c(2 ** 23)), x())), o.ic(OFF))),
    m.local.set(n, o.add(m.local.get(n, o.ty), o.itof(o.ishr(uu(), 23)))),
    m.local.set(r, o.sub(o.fromBits(o.iadd(o.iand(uu(), o.ic(MANTISSA)), o.ic(OFF))), o.c(1))),
  ];
}

/** Body of log over param 0; locals 1 (n), 2 (r), 3 (u: i32 or v128), 4 (y). */
function logBody(o: FOps): Ref {
  const m = o.m;
  const get = (i: number) => (): Ref => m.local.get(i, o.ty);
  const [x, n, r, y] = [get(0), get(1), get(2), get(4)];
  const r2 = (): Ref => o.mul(r(), r());
  return m.block(null, [
    ...splitLog(o, x, 1, 2, 3),
    // (n·ln2_lo + r²·P(r)) + r + n·ln2_hi: the rounding of the small part stays small.
    m.local.set(4, o.add(o.add(o.add(o.mul(n(), o.c(LN2_LO)), o.mul(r2(), hornerF(o, r, LOGF_POLY))), r()), o.mul(n(), o.c(LN2_HI)))),
    m.local.set(4, o.sel(o.lt(x(), o.c(0)), o.c(NaN), y())),
    m.local.set(4, o.sel(o.eq(x(), o.c(0)), o.c(-Infinity), y())),
    m.return(o.sel(o.or(o.eq(x(), o.c(Infinity)), o.ne(x(), x())), x(), y())),
  ], o.ty);
}

export const LOGF_HELPER: MathHelper = {
  params: 1, deps: [], locals: (o) => [o.ty, o.ty, o.intTy, o.ty], body: (o) => logBody(o),
};
