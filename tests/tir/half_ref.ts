// tests/tir/half_ref.ts — an IEEE 754 half-precision reference written independently of tir/dtype.ts's
// f16round: a table of every finite float16 decoded from its bit pattern, and the nearest entry to a
// number (ties to the even pattern), found by binary search.

/** Every non-negative finite float16 value, ascending (index = bit pattern). */
export const HALVES: number[] = Array.from({ length: 0x7c00 }, (_, h) => {
  const e = h >> 10;
  const m = h & 0x3ff;
  return e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15);
});

/** Nearest float16 to x, ties to the even bit pattern; beyond 65504 + half a step, infinity. */
export function halfRef(x: number): number {
  if (Number.isNaN(x) || x === 0 || !Number.isFinite(x)) return x;
  const s = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (ax >= 65520) return s * Infinity;
  if (ax >= 65504) return s * 65504;
  let lo = 0;
  let hi = HALVES.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (HALVES[mid]! <= ax) lo = mid; else hi = mid;
  }
  const dl = ax - HALVES[lo]!;
  const dh = HALVES[hi]! - ax;
  const k = dl < dh ? lo : dh < dl ? hi : (lo % 2 === 0 ? lo : hi);
  return s * HALVES[k]!;
}
