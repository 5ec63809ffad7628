// codegen/wgsl/wgsl_pow.ts — pow(x, y) on f32 and vecN<f32> with C99 powf's semantics (which numpy,
// onnxruntime's std::pow and the wasm backend's codegen/wasm/powf32.ts follow). WGSL's pow is
// exp2(y·log2(x)) and undefined for x < 0 (lavapipe: NaN for every negative base, 0 for a zero base
// whatever y, NaN for pow(inf, 0)), so exp2(y·log2|x|) only computes |x|^y for a finite nonzero |x|
// (subnormals included) and the rest is decided on the bits, with integer compares and selects that no
// fast-math rewrite touches (as the NaN-propagating max/min of wgsl_expr.ts):
//   pow(x, ±0) = 1 and pow(1, y) = 1, NaN included;  NaN otherwise in, NaN out;
//   |x| = 1 → 1 (pow(−1, ±inf) = 1; pow(−1, n) = ±1 through the sign rule);
//   y = ±inf → +inf when |x| > 1 and y > 0 or |x| < 1 and y < 0, else +0;
//   x = ±0 → +inf for y < 0, +0 for y > 0;  x = ±inf → the reverse;
//   an odd integer y keeps x's sign (−0 and −inf included: pow(−0, −1) = −inf, pow(−inf, −3) = −0);
//   a negative finite x with a finite non-integer y → NaN.
// The result is assembled as u32 bits, so +inf, NaN and 1 are integer constants (WGSL has no inf/NaN
// literal and refuses them in const-expressions: wgsl_expr.ts's floatLiteral).
//
// A constant exponent (the usual case: relay's SimplifyPower passes an all-equal constant to ops.pow as a
// number, and ops/pow_scalar.ts already rewrites 0, ±1, 2, 3, ±0.5) is classified when the shader is
// printed — odd integer, even integer (every |y| ≥ 2^24 is even) or non-integer, and its sign — so its
// helper keeps only the base's tests: about half the selects of the general one and none on y's bits.
// y = ±0 needs no pow at all (1). A NaN or infinite constant takes the general helper.

/** What is known about the exponent when printing: nothing ('any'), or the class of a finite nonzero constant. */
export type PowExponentClass = 'any' | `${'odd' | 'even' | 'frac'}_${'pos' | 'neg'}`;

export const POW_EXPONENT_CLASSES: readonly PowExponentClass[] = ['any', 'odd_pos', 'odd_neg', 'even_pos', 'even_neg', 'frac_pos', 'frac_neg'];

/** The class of a constant float32 exponent; undefined for ±0 (pow is 1 there); 'any' for NaN and ±inf. */
export function powExponentClass(y: number): PowExponentClass | undefined {
  const f = Math.fround(y);
  if (f === 0) return undefined;
  if (!Number.isFinite(f)) return 'any';
  const sign = f < 0 ? 'neg' : 'pos';
  if (!Number.isInteger(f)) return `frac_${sign}`;
  // f % 2 is exact; float32 integers of magnitude ≥ 2^24 are all even.
  return `${Math.abs(f % 2) === 1 ? 'odd' : 'even'}_${sign}`;
}

/** The helper key (`pow_f32`, `pow_odd_neg_vec4f32`, …); the WGSL function is `tt_<key>`. */
export function powHelperKey(cls: PowExponentClass, lanes: number): string {
  return `pow${cls === 'any' ? '' : `_${cls}`}_${lanes === 1 ? 'f32' : `vec${lanes}f32`}`;
}

const INF = '0x7f800000u';
const NAN = '0x7fc00000u';
const ONE = '0x3f800000u';
const SIGN = '0x80000000u';
const ABS = '0x7fffffffu';

/** The WGSL text of pow for one exponent class and lane count: [key, function]. */
export function powHelper(cls: PowExponentClass, lanes: number): [string, string] {
  const vec = lanes > 1;
  const f = vec ? `vec${lanes}<f32>` : 'f32';
  const u = vec ? `vec${lanes}<u32>` : 'u32';
  // WGSL splats a scalar in arithmetic and bit ops but not in select's arms or in comparisons.
  const c = (bits: string): string => (vec ? `${u}(${bits})` : bits);
  const cf = (v: string): string => (vec ? `${f}(${v})` : v);
  const key = powHelperKey(cls, lanes);
  const lines = [
    `  let xb = bitcast<${u}>(x);`,
    `  let ax = xb & ${c(ABS)};`,
    // |x|^y = exp2(y·log2|x|), WGSL's own definition of pow. A subnormal |x| is m·2^-149 with m its bits
    // as an integer, converted exactly (as i32: |x|'s bits are below 2^31, and x86 has no u32 → f32
    // instruction before AVX-512), so a device that flushes subnormals (lavapipe) still sees it; the
    // value for a zero, infinite or NaN |x| (driver-defined) is replaced below.
    `  let sub = ax < ${c('0x00800000u')};`,
    `  var r = bitcast<${u}>(exp2(y * (log2(select(bitcast<${f}>(ax), ${f}(bitcast<${vec ? `vec${lanes}<i32>` : 'i32'}>(ax)), sub)) - select(${cf('0.0f')}, ${cf('149.0f')}, sub))));`,
  ];
  const base = (zero: string, inf: string): void => {
    lines.push(`  r = select(r, ${zero}, ax == ${c('0u')});`, `  r = select(r, ${inf}, ax == ${c(INF)});`);
  };
  const negFinite = `(xb > ${c(SIGN)}) & (ax < ${c(INF)})`;
  if (cls === 'any') {
    lines.splice(2, 0,
      `  let yb = bitcast<${u}>(y);`,
      `  let ay = yb & ${c(ABS)};`,
      `  let yneg = yb > ${c(SIGN)};`,
      `  let yfin = ay < ${c(INF)};`,
      `  let yint = yfin & (floor(y) == y);`,
      // y/2 is exact, and not an integer only for an odd y (every float32 of magnitude ≥ 2^24 is even).
      `  let yodd = yint & (floor(y * 0.5f) != y * 0.5f);`);
    base(`select(${c('0u')}, ${c(INF)}, yneg)`, `select(${c(INF)}, ${c('0u')}, yneg)`);
    lines.push(
      `  r = select(r, select(${c('0u')}, ${c(INF)}, (ax > ${c(ONE)}) != yneg), ay == ${c(INF)});`,
      `  r = select(r, ${c(ONE)}, ax == ${c(ONE)});`,
      `  r = r | select(${c('0u')}, xb & ${c(SIGN)}, yodd);`,
      `  r = select(r, ${c(NAN)}, ${negFinite} & yfin & !yint);`,
      `  r = select(r, ${c(NAN)}, (ax > ${c(INF)}) | (ay > ${c(INF)}));`,
      `  r = select(r, ${c(ONE)}, (ay == ${c('0u')}) | (xb == ${c(ONE)}));`);
  } else {
    const [parity, sign] = cls.split('_') as ['odd' | 'even' | 'frac', 'pos' | 'neg'];
    if (sign === 'neg') base(c(INF), c('0u'));
    else base(c('0u'), c(INF));
    lines.push(`  r = select(r, ${c(ONE)}, ax == ${c(ONE)});`);
    if (parity === 'odd') lines.push(`  r = r | (xb & ${c(SIGN)});`);
    if (parity === 'frac') lines.push(`  r = select(r, ${c(NAN)}, ${negFinite});`);
    lines.push(`  r = select(r, ${c(NAN)}, ax > ${c(INF)});`);
  }
  lines.push(`  return bitcast<${f}>(r);`);
  return [key, `fn tt_${key}(x: ${f}, y: ${f}) -> ${f} {\n${lines.join('\n')}\n}`];
}

/** Every pow helper, for wgsl_expr.ts's HELPERS table. */
export const POW_HELPERS: Readonly<Record<string, string>> = Object.fromEntries(
  POW_EXPONENT_CLASSES.flatMap((cls) => [1, 2, 3, 4].map((l) => powHelper(cls, l))));
