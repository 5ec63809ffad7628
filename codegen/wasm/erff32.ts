// codegen/wasm/erff32.ts — erf in float32 over the FOps table (scalar f32 and f32x4, the same bits),
// after ARM optimized-routines' erff (math/erff.c, quoted at 1.09 ulp with fma and a 0.5-ulp expf):
// |x| < 0.875: x + x·P(x²), P of degree 5 (minimax on [0, 0.921875]); else 1 − exp(−Q(|x|)) with the
// sign of x, Q(a) = a + a·(B1 + B2·a + … + B7·a⁶) (minimax on [0.921875, 4]) evaluated as ARM does
// (Estrin on the top four coefficients, then Horner). Both branches are computed and one selected, so
// there is no branch per lane; |x| is clamped to 4 in the second (erf(4) rounds to 1 in float32, and
// Q(inf) would be inf − inf), which also gives erf(±inf) = ±1. NaN → NaN, erf(±0) = ±0.
// Wasm has no fma and exp here is the 2-ulp expf32, so the error is above ARM's: docs/wasm.md gives
// the measured maximum (tests/codegen/wasm/erff32.test.ts).

import type { Ref } from './func_context.js';
import { hexFloat, hornerF, type FOps, type MathHelper } from './fops.js';

/** A1…A6: erf(x) ≈ x + x·(A1 + A2·x² + … + A6·x¹⁰) on |x| < 0.921875 (optimized-routines math/erff_data.c). */
export const ERFF_A: readonly number[] = [
  '0x1.06eba6p-03', '-0x1.8126e0p-02', '0x1.ce1a46p-04', '-0x1.b68bd2p-06', '0x1.473f48p-08', '-0x1.3a1a82p-11',
].map(hexFloat);
/** B1…B7: erf(a) ≈ 1 − exp(−(a + a·(B1 + B2·a + … + B7·a⁶))) on [0.921875, 4] (the same source). */
export const ERFF_B: readonly number[] = [
  '0x1.079d0cp-3', '0x1.450aa0p-1', '0x1.b55cb0p-4', '-0x1.8d6300p-6', '0x1.fd1336p-9', '-0x1.91d2ccp-12', '0x1.222900p-16',
].map(hexFloat);

/** Body of erf over param 0; locals 1 (|x| clamped to 4), 2 (x²), 3 (Q, then the large-|x| result). */
function erfBody(o: FOps, exp: string): Ref {
  const m = o.m;
  const get = (i: number) => (): Ref => m.local.get(i, o.ty);
  const [x, a, x2, q] = [get(0), get(1), get(2), get(3)];
  const [b1, b2, b3, b4, b5, b6, b7] = ERFF_B.map((c) => o.c(c)) as [Ref, Ref, Ref, Ref, Ref, Ref, Ref];
  const small = o.add(o.mul(hornerF(o, x2, ERFF_A), x()), x());
  // Estrin on B4…B7: (B7·a + B6)·a² + (B5·a + B4), then Horner down to B1, then ·a + a.
  let big = o.add(o.mul(o.add(o.mul(b7, a()), b6), o.mul(a(), a())), o.add(o.mul(b5, a()), b4));
  for (const b of [b3, b2, b1]) big = o.add(o.mul(big, a()), b);
  big = o.add(o.mul(big, a()), a());
  return m.block(null, [
    m.local.set(1, o.min(o.abs(x()), o.c(4))),
    m.local.set(2, o.mul(x(), x())),
    m.local.set(3, big),
    m.local.set(3, o.copysign(o.sub(o.c(1), m.call(exp, [o.sub(o.c(0), q())], o.ty)), x())),
    m.return(o.sel(o.lt(o.abs(x()), o.c(0.875)), small, q())),
  ], o.ty);
}

export const ERFF_HELPER: MathHelper = {
  params: 1, deps: ['exp'], locals: (o) => [o.ty, o.ty, o.ty], body: (o, dep) => erfBody(o, dep('exp')),
};
