// codegen/wasm/fops.ts — the float ops one math algorithm needs, as a table instantiated twice: on
// scalar f32 (conditions are i32) and on f32x4 (conditions are all-ones/zero lane masks). The float32
// math helpers (expf32.ts, logf32.ts, erff32.ts, powf32.ts) are written once over this table, so a
// scalar tail and a vector lane run the same IEEE operations and give the same bits. The integer ops
// work on the float's bit pattern (i32, or i32x4 in the same v128).

import binaryen from 'binaryen';
import type { Ref } from './func_context.js';

type M = binaryen.Module;

/** A C99 hex float literal ('0x1.62e4p-1', '-0x1.3e737cp-3'), as the sources print their constants. */
export function hexFloat(s: string): number {
  const [, sign, int, frac, exp] = /^(-?)0x([0-9a-f]+)\.([0-9a-f]*)p([+-]?\d+)$/i.exec(s)!;
  return (sign ? -1 : 1) * parseInt(int! + frac!, 16) * 2 ** (Number(exp) - 4 * frac!.length);
}

/** The float ops one algorithm needs, on f32 or on f32x4 (conditions: i32 or lane masks). */
export interface FOps {
  readonly m: M;
  /** f32 or v128. */
  readonly ty: binaryen.Type;
  /** The type of a helper's integer locals (i32 or v128). */
  readonly intTy: binaryen.Type;
  c(x: number): Ref;
  add(a: Ref, b: Ref): Ref; sub(a: Ref, b: Ref): Ref; mul(a: Ref, b: Ref): Ref; div(a: Ref, b: Ref): Ref;
  min(a: Ref, b: Ref): Ref; max(a: Ref, b: Ref): Ref; abs(a: Ref): Ref; nearest(a: Ref): Ref; floor(a: Ref): Ref;
  lt(a: Ref, b: Ref): Ref; gt(a: Ref, b: Ref): Ref; eq(a: Ref, b: Ref): Ref; ne(a: Ref, b: Ref): Ref;
  /** Conditions combined: a && b, a || b, a && !b. */
  and(a: Ref, b: Ref): Ref; or(a: Ref, b: Ref): Ref; andNot(a: Ref, b: Ref): Ref;
  /** cond ? a : b, both evaluated. */
  sel(cond: Ref, a: Ref, b: Ref): Ref;
  /** |mag| with the sign of `sgn`. */
  copysign(mag: Ref, sgn: Ref): Ref;
  /** 2^(k >> 1) and 2^(k − (k >> 1)) for the integer part k of `n` (an integral float in [−150, 128]); sets local `k`. */
  pow2Halves(n: Ref, k: number): [Ref, Ref];
  /** The bit pattern of a float, and back. */
  bits(a: Ref): Ref; fromBits(i: Ref): Ref;
  ic(x: number): Ref;
  iadd(a: Ref, b: Ref): Ref; isub(a: Ref, b: Ref): Ref; iand(a: Ref, b: Ref): Ref;
  /** Arithmetic shift right by a constant. */
  ishr(a: Ref, k: number): Ref;
  /** Signed integer to float (exact below 2^24). */
  itof(a: Ref): Ref;
}

export function scalarOps(m: M): FOps {
  const f = m.f32;
  const i = m.i32;
  const pow2 = (e: Ref): Ref => f.reinterpret(i.shl(i.add(e, i.const(127)), i.const(23)));
  return {
    m, ty: binaryen.f32, intTy: binaryen.i32,
    c: (x) => f.const(Math.fround(x)),
    add: f.add, sub: f.sub, mul: f.mul, div: f.div, min: f.min, max: f.max, abs: f.abs, nearest: f.nearest, floor: f.floor,
    lt: f.lt, gt: f.gt, eq: f.eq, ne: f.ne,
    and: i.and, or: i.or, andNot: (a, b) => i.and(a, i.eqz(b)),
    sel: (c, a, b) => m.select(c, a, b),
    copysign: f.copysign,
    pow2Halves: (n, k) => {
      const kk = (): Ref => m.local.get(k, binaryen.i32);
      const half = (): Ref => i.shr_s(kk(), i.const(1));
      return [m.block(null, [m.local.set(k, i.trunc_s_sat.f32(n)), pow2(half())], binaryen.f32), pow2(i.sub(kk(), half()))];
    },
    bits: i.reinterpret, fromBits: f.reinterpret,
    ic: (x) => i.const(x | 0),
    iadd: i.add, isub: i.sub, iand: i.and,
    ishr: (a, k) => i.shr_s(a, i.const(k)),
    itof: f.convert_s.i32,
  };
}

export function vectorOps(m: M): FOps {
  const f = m.f32x4;
  const i = m.i32x4;
  const v128 = binaryen.v128;
  const splat = (x: number): Ref => f.splat(m.f32.const(Math.fround(x)));
  const pow2 = (e: Ref): Ref => i.shl(i.add(e, i.splat(m.i32.const(127))), m.i32.const(23));
  return {
    m, ty: v128, intTy: v128,
    c: splat,
    add: f.add, sub: f.sub, mul: f.mul, div: f.div, min: f.min, max: f.max, abs: f.abs, nearest: f.nearest, floor: f.floor,
    lt: f.lt, gt: f.gt, eq: f.eq, ne: f.ne,
    and: m.v128.and, or: m.v128.or, andNot: m.v128.andnot,
    sel: (c, a, b) => m.v128.bitselect(a, b, c),
    copysign: (mag, sgn) => m.v128.bitselect(sgn, mag, i.splat(m.i32.const(0x80000000 | 0))),
    pow2Halves: (n, k) => {
      const kk = (): Ref => m.local.get(k, v128);
      const half = (): Ref => i.shr_s(kk(), m.i32.const(1));
      return [m.block(null, [m.local.set(k, i.trunc_sat_f32x4_s(n)), pow2(half())], v128), pow2(i.sub(kk(), half()))];
    },
    bits: (a) => a, fromBits: (a) => a,
    ic: (x) => i.splat(m.i32.const(x | 0)),
    iadd: i.add, isub: i.sub, iand: m.v128.and,
    ishr: (a, k) => i.shr_s(a, m.i32.const(k)),
    itof: f.convert_i32x4_s,
  };
}

/** Horner's rule Σ c[k]·x^k from the highest coefficient down, reading x from a local each time. */
export function hornerF(o: FOps, x: () => Ref, c: readonly number[]): Ref {
  let acc = o.c(c[c.length - 1]!);
  for (let k = c.length - 2; k >= 0; k--) acc = o.add(o.c(c[k]!), o.mul(x(), acc));
  return acc;
}

/** The float32 math ops with a helper written over FOps. */
export type MathF32Op = 'exp' | 'sigmoid' | 'tanh' | 'log' | 'erf' | 'pow';

/** One float32 math helper, emitted on f32 or on f32x4 from the same description. */
export interface MathHelper {
  /** Parameters of type `ty` (1, or 2 for pow). */
  readonly params: 1 | 2;
  /** Helpers this one calls (added to the module first). */
  readonly deps: readonly MathF32Op[];
  /** Types of the locals after the parameters. */
  locals(o: FOps): binaryen.Type[];
  /** The function body; `dep(op)` names the helper for `op` in the same form (scalar or vector). */
  body(o: FOps, dep: (op: MathF32Op) => string): Ref;
  /** Functions the body calls besides other helpers (pow's f64 core), added once before it. */
  readonly extra?: (m: M, vector: boolean) => { name: string; add(): void };
}
