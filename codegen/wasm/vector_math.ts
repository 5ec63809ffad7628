// codegen/wasm/vector_math.ts — exp, sigmoid, tanh, log, erf and pow on f32x4 without leaving SIMD. The
// default is the float32 algorithms of mathf32.ts (4 lanes at once, bit-identical to the scalar f32
// helpers). The former exp/sigmoid/tanh stay behind WASM_EXP_IMPL.f64 for A/B benches: each half widened
// to f64x2 and run through the f64 range reduction and polynomial of intrinsics.ts's tt_exp64.

import binaryen from 'binaryen';
import type { ModuleState, Ref } from './func_context.js';
import type { MathF32Op } from './fops.js';
import { ensureMathF32, isMathF32Op, usesF64Helper } from './mathf32.js';

type M = binaryen.Module;
const v128 = binaryen.v128;

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LOG2E = 1.4426950408889634;
const EXP_COEFFS = Array.from({ length: 14 }, (_, k) => {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return 1 / f;
});

const splat = (m: M, x: number): Ref => m.f64x2.splat(m.f64.const(x));

function horner2(m: M, x: () => Ref, c: readonly number[]): Ref {
  let acc = splat(m, c[c.length - 1]!);
  for (let k = c.length - 2; k >= 0; k--) acc = m.f64x2.add(splat(m, c[k]!), m.f64x2.mul(x(), acc));
  return acc;
}

/** 2^k per lane for the two low i32 lanes of `k`, as f64x2 (normal range). */
function pow2x2(m: M, k: Ref): Ref {
  return m.i64x2.shl(m.i64x2.add(m.i64x2.extend_low_i32x4_s(k), m.i64x2.splat(m.i64.const(1023n))), m.i32.const(52));
}

function addExp64x2(m: M): void {
  // params: d(0); locals: n(1), r(2), k(3), kh(4), res(5) — all v128
  const g = (i: number) => (): Ref => m.local.get(i, v128);
  const [d, n, r, k, kh, res] = [0, 1, 2, 3, 4, 5].map(g) as [() => Ref, () => Ref, () => Ref, () => Ref, () => Ref, () => Ref];
  const f = m.f64x2;
  const body = m.block(null, [
    m.local.set(1, f.nearest(f.mul(d(), splat(m, LOG2E)))),
    m.local.set(2, f.sub(f.sub(d(), f.mul(n(), splat(m, LN2_HI))), f.mul(n(), splat(m, LN2_LO)))),
    m.local.set(3, m.i32x4.trunc_sat_f64x2_s_zero(n())),
    m.local.set(4, m.i32x4.shr_s(k(), m.i32.const(1))),
    m.local.set(5, f.mul(f.mul(horner2(m, r, EXP_COEFFS), pow2x2(m, kh())), pow2x2(m, m.i32x4.sub(k(), kh())))),
    m.local.set(5, m.v128.bitselect(splat(m, Infinity), res(), f.gt(d(), splat(m, 709.78)))),
    m.return(m.v128.bitselect(splat(m, 0), res(), f.lt(d(), splat(m, -745.2)))),
  ]);
  m.addFunction('tt_exp64x2', v128, v128, [v128, v128, v128, v128, v128], body);
}

/** The f64x2 body of each f32x4 helper, given the widened half `d` and a scratch local `t`. */
const KERNELS: Readonly<Record<string, (m: M, d: () => Ref, t: number) => Ref>> = {
  tt_vexp: (m, d) => m.call('tt_exp64x2', [d()], v128),
  tt_vsigmoid: (m, d) => m.f64x2.div(splat(m, 1), m.f64x2.add(splat(m, 1), m.call('tt_exp64x2', [m.f64x2.neg(d())], v128))),
  tt_vtanh: (m, d, t) => {
    const e = (): Ref => m.local.get(t, v128);
    const ratio = m.f64x2.div(m.f64x2.sub(e(), splat(m, 1)), m.f64x2.add(e(), splat(m, 1)));
    // As the scalar tanh: x itself below 1e-5 (no cancellation), ±1 beyond 10 (no overflow).
    const small = m.f64x2.lt(m.f64x2.abs(d()), splat(m, 1e-5));
    const big = m.f64x2.gt(m.f64x2.abs(d()), splat(m, 10));
    const sign = m.v128.bitselect(splat(m, -1), splat(m, 1), m.f64x2.lt(d(), splat(m, 0)));
    return m.block(null, [
      m.local.set(t, m.call('tt_exp64x2', [m.f64x2.mul(splat(m, 2), d())], v128)),
      m.v128.bitselect(sign, m.v128.bitselect(d(), ratio, small), big),
    ], v128);
  },
};

function addWrapper(m: M, name: string): void {
  // params: x(0) f32x4; locals: lo(1), hi(2) f64x2, t(3) scratch
  const x = (): Ref => m.local.get(0, v128);
  const kernel = KERNELS[name]!;
  const lo = kernel(m, () => m.local.get(1, v128), 3);
  const hi = kernel(m, () => m.local.get(2, v128), 3);
  const body = m.block(null, [
    m.local.set(1, m.f64x2.promote_low_f32x4(x())),
    m.local.set(2, m.f64x2.promote_low_f32x4(m.i8x16.shuffle(x(), x(), [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]))),
    m.return(m.i8x16.shuffle(m.f32x4.demote_f64x2_zero(lo), m.f32x4.demote_f64x2_zero(hi),
      [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23])),
  ]);
  m.addFunction(`${name}64`, v128, v128, [v128, v128, v128], body);
}

/** The former f64x2 forms (behind WASM_EXP_IMPL.f64). */
const F64X2_FORMS: Readonly<Record<string, string>> = { exp: 'tt_vexp', sigmoid: 'tt_vsigmoid', tanh: 'tt_vtanh' };

/** Whether `op` has an f32x4 form now (behind WASM_EXP_IMPL.f64LogErfPow, log/erf/pow run lane by lane). */
export function hasVectorMath(op: string): boolean {
  return isMathF32Op(op) && (!usesF64Helper(op) || op in F64X2_FORMS);
}

/** Calls the f32x4 form of exp / sigmoid / tanh / log / erf / pow on `args`, adding the helpers to the module once. */
export function emitVectorMath(mod: ModuleState, op: string, args: readonly Ref[]): Ref {
  if (!hasVectorMath(op)) throw new Error(`wasm codegen: internal: no f32x4 form of ${op}`);
  if (!usesF64Helper(op as MathF32Op)) return mod.m.call(ensureMathF32(mod, op as MathF32Op, true), args, v128);
  const name = F64X2_FORMS[op]!;
  if (!mod.helpers.has('tt_exp64x2')) {
    mod.helpers.add('tt_exp64x2');
    addExp64x2(mod.m);
  }
  if (!mod.helpers.has(`${name}64`)) {
    mod.helpers.add(`${name}64`);
    addWrapper(mod.m, name);
  }
  return mod.m.call(`${name}64`, [args[0]!], v128);
}
