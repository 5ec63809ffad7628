// codegen/wasm/intrinsics.ts — math intrinsics compiled into the module (no calls back into JS):
// exp/sigmoid/tanh/log/erf/pow in float32 (mathf32.ts), sin/cos (and the former exp/log/erf/pow,
// behind WASM_EXP_IMPL for A/B benches) by range reduction + polynomial in f64;
// floor/ceil/sqrt/abs/min/max/round map to native wasm instructions.

import binaryen from 'binaryen';
import { elementType, type DataType, type IntrinsicName } from '../../tir/nodes.js';
import type { FuncContext, ModuleState, Ref } from './func_context.js';
import { ensureMathF32, usesF64Helper } from './mathf32.js';
import type { MathF32Op } from './fops.js';

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LOG2E = 1.4426950408889634;
const PIO2_1 = 1.57079632673412561417e0;
const PIO2_1T = 6.07710050650619224932e-11;
const TWO_OVER_PI = 0.6366197723675814;

type M = binaryen.Module;
const f64 = binaryen.f64;
const i32 = binaryen.i32;

/** Horner evaluation of Σ c[k] x^k, reading x from a local each time. */
function horner(m: M, x: () => Ref, c: readonly number[]): Ref {
  let acc = m.f64.const(c[c.length - 1]!);
  for (let k = c.length - 2; k >= 0; k--) acc = m.f64.add(m.f64.const(c[k]!), m.f64.mul(x(), acc));
  return acc;
}

const EXP_COEFFS = Array.from({ length: 14 }, (_, k) => 1 / factorial(k));
function factorial(n: number): number {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

/** 2^k for an i32 local k in the normal double range, built from exponent bits. */
function pow2(m: M, k: Ref): Ref {
  return m.f64.reinterpret(m.i64.shl(m.i64.extend_s(m.i32.add(k, m.i32.const(1023))), m.i64.const(52n)));
}

function addExp64(m: M): void {
  // params: x(0); locals: n(1) f64, r(2) f64, k(3) i32
  const x = (): Ref => m.local.get(0, f64);
  const n = (): Ref => m.local.get(1, f64);
  const r = (): Ref => m.local.get(2, f64);
  const k = (): Ref => m.local.get(3, i32);
  const half = (): Ref => m.i32.shr_s(k(), m.i32.const(1));
  const body = m.block(null, [
    m.if(m.f64.gt(x(), m.f64.const(709.78)), m.return(m.f64.const(Infinity))),
    m.if(m.f64.lt(x(), m.f64.const(-745.2)), m.return(m.f64.const(0))),
    m.local.set(1, m.f64.nearest(m.f64.mul(x(), m.f64.const(LOG2E)))),
    m.local.set(2, m.f64.sub(m.f64.sub(x(), m.f64.mul(n(), m.f64.const(LN2_HI))), m.f64.mul(n(), m.f64.const(LN2_LO)))),
    m.local.set(3, m.i32.trunc_s_sat.f64(n())),
    // 2^k split in two factors so results in the subnormal range stay exact enough.
    m.return(m.f64.mul(m.f64.mul(horner(m, r, EXP_COEFFS), pow2(m, half())), pow2(m, m.i32.sub(k(), half())))),
  ]);
  m.addFunction('tt_exp64', f64, f64, [f64, f64, i32], body);
}

function addLog64(m: M): void {
  // params: x(0); locals: bits(1) i64, e(2) i32, mant(3) f64, s(4) f64, z(5) f64
  const x = (): Ref => m.local.get(0, f64);
  const bits = (): Ref => m.local.get(1, binaryen.i64);
  const e = (): Ref => m.local.get(2, i32);
  const mant = (): Ref => m.local.get(3, f64);
  const s = (): Ref => m.local.get(4, f64);
  const z = (): Ref => m.local.get(5, f64);
  const series = horner(m, z, [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13, 1 / 15]);
  const body = m.block(null, [
    m.if(m.f64.ne(x(), x()), m.return(x())),
    m.if(m.f64.lt(x(), m.f64.const(0)), m.return(m.f64.const(NaN))),
    m.if(m.f64.eq(x(), m.f64.const(0)), m.return(m.f64.const(-Infinity))),
    m.if(m.f64.eq(x(), m.f64.const(Infinity)), m.return(x())),
    // Subnormal doubles: scale into the normal range first.
    m.if(m.f64.lt(x(), m.f64.const(2.2250738585072014e-308)), m.block(null, [
      m.local.set(0, m.f64.mul(x(), m.f64.const(2 ** 54))),
      m.local.set(2, m.i32.const(-54)),
    ])),
    m.local.set(1, m.i64.reinterpret(x())),
    m.local.set(2, m.i32.add(e(), m.i32.sub(
      m.i32.wrap(m.i64.and(m.i64.shr_u(bits(), m.i64.const(52n)), m.i64.const(0x7ffn))), m.i32.const(1023)))),
    m.local.set(3, m.f64.reinterpret(m.i64.or(m.i64.and(bits(), m.i64.const(0x000fffffffffffffn)), m.i64.const(0x3ff0000000000000n)))),
    m.if(m.f64.gt(mant(), m.f64.const(Math.SQRT2)), m.block(null, [
      m.local.set(3, m.f64.mul(mant(), m.f64.const(0.5))),
      m.local.set(2, m.i32.add(e(), m.i32.const(1))),
    ])),
    // log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| ≤ 0.1716.
    m.local.set(4, m.f64.div(m.f64.sub(mant(), m.f64.const(1)), m.f64.add(mant(), m.f64.const(1)))),
    m.local.set(5, m.f64.mul(s(), s())),
    m.return(m.f64.add(
      m.f64.mul(m.f64.convert_s.i32(e()), m.f64.const(Math.LN2)),
      m.f64.mul(m.f64.mul(m.f64.const(2), s()), series),
    )),
  ]);
  m.addFunction('tt_log64', f64, f64, [binaryen.i64, i32, f64, f64, f64], body);
}

/** sin(r) = r·S(r²), cos(r) = C(r²): Taylor coefficients, |r| ≤ π/4. */
const SIN_COEFFS = [1, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880, -1 / 39916800, 1 / 6227020800, -1 / 1307674368000];
const COS_COEFFS = [1, -1 / 2, 1 / 24, -1 / 720, 1 / 40320, -1 / 3628800, 1 / 479001600, -1 / 87178291200, 1 / 20922789888000];

function addSinCos64(m: M): void {
  // params: x(0) f64, quarter(1) i32 (0 = sin, 1 = cos); locals: k(2) f64, r(3) f64, q(4) i32, z(5) f64
  const x = (): Ref => m.local.get(0, f64);
  const k = (): Ref => m.local.get(2, f64);
  const r = (): Ref => m.local.get(3, f64);
  const q = (): Ref => m.local.get(4, i32);
  const z = (): Ref => m.local.get(5, f64);
  const sinR = m.f64.mul(r(), horner(m, z, SIN_COEFFS));
  const cosR = horner(m, z, COS_COEFFS);
  const body = m.block(null, [
    m.local.set(2, m.f64.nearest(m.f64.mul(x(), m.f64.const(TWO_OVER_PI)))),
    m.local.set(3, m.f64.sub(m.f64.sub(x(), m.f64.mul(k(), m.f64.const(PIO2_1))), m.f64.mul(k(), m.f64.const(PIO2_1T)))),
    m.local.set(4, m.i32.and(m.i32.add(m.i32.trunc_s_sat.f64(k()), m.local.get(1, i32)), m.i32.const(3))),
    m.local.set(5, m.f64.mul(r(), r())),
    m.local.set(3, m.select(m.i32.and(q(), m.i32.const(1)), cosR, sinR)),
    m.return(m.select(m.i32.and(q(), m.i32.const(2)), m.f64.neg(r()), r())),
  ]);
  m.addFunction('tt_sincos64', binaryen.createType([f64, i32]), f64, [f64, f64, i32, f64], body);
}

/** erf in f64: Taylor series below 0.5, Numerical Recipes' erfc (rel. error < 1.2e-7) above. */
function addErf64(m: M): void {
  // params: x(0); locals: ax(1), t(2), z(3) f64
  const x = (): Ref => m.local.get(0, f64);
  const ax = (): Ref => m.local.get(1, f64);
  const t = (): Ref => m.local.get(2, f64);
  const z = (): Ref => m.local.get(3, f64);
  const taylor: number[] = [];
  for (let n = 0; n <= 10; n++) taylor.push(((n % 2 === 0 ? 1 : -1) * 2) / Math.sqrt(Math.PI) / (factorial(n) * (2 * n + 1)));
  const nr = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
  const body = m.block(null, [
    m.local.set(1, m.f64.abs(x())),
    m.local.set(3, m.f64.mul(x(), x())),
    m.if(m.f64.lt(ax(), m.f64.const(0.5)), m.return(m.f64.mul(x(), horner(m, z, taylor)))),
    m.if(m.f64.gt(ax(), m.f64.const(6)), m.return(m.f64.copysign(m.f64.const(1), x()))),
    m.local.set(2, m.f64.div(m.f64.const(1), m.f64.add(m.f64.const(1), m.f64.mul(m.f64.const(0.5), ax())))),
    // erfc(|x|) = t·exp(-x² + P(t)); P evaluated with Horner in t.
    m.local.set(3, m.f64.mul(t(), m.call('tt_exp64', [m.f64.add(m.f64.neg(m.f64.mul(ax(), ax())), horner(m, t, nr))], f64))),
    m.return(m.f64.copysign(m.f64.sub(m.f64.const(1), z()), x())),
  ]);
  m.addFunction('tt_erf64', f64, f64, [f64, f64, f64], body);
}

function addPow64(m: M): void {
  // params: x(0), y(1); locals: r(2)
  const x = (): Ref => m.local.get(0, f64);
  const y = (): Ref => m.local.get(1, f64);
  const r = (): Ref => m.local.get(2, f64);
  const body = m.block(null, [
    m.if(m.f64.eq(y(), m.f64.const(0)), m.return(m.f64.const(1))),
    m.if(m.i32.or(m.f64.ne(x(), x()), m.f64.ne(y(), y())), m.return(m.f64.const(NaN))),
    m.local.set(2, m.call('tt_exp64', [m.f64.mul(y(), m.call('tt_log64', [m.f64.abs(x())], f64))], f64)),
    m.if(m.f64.lt(x(), m.f64.const(0)), m.block(null, [
      m.if(m.f64.ne(m.f64.floor(y()), y()), m.return(m.f64.const(NaN))),
      m.if(m.f64.ne(m.f64.mul(m.f64.floor(m.f64.mul(y(), m.f64.const(0.5))), m.f64.const(2)), y()), m.local.set(2, m.f64.neg(r()))),
    ])),
    m.return(r()),
  ]);
  m.addFunction('tt_pow64', binaryen.createType([f64, f64]), f64, [f64], body);
}

function addTanh64(m: M): void {
  // params: x(0); locals: e(1)
  const x = (): Ref => m.local.get(0, f64);
  const e = (): Ref => m.local.get(1, f64);
  const body = m.block(null, [
    m.if(m.f64.lt(m.f64.abs(x()), m.f64.const(1e-5)), m.return(x())),
    m.if(m.f64.gt(m.f64.abs(x()), m.f64.const(10)), m.return(m.f64.copysign(m.f64.const(1), x()))),
    m.local.set(1, m.call('tt_exp64', [m.f64.mul(m.f64.const(2), x())], f64)),
    m.return(m.f64.div(m.f64.sub(e(), m.f64.const(1)), m.f64.add(e(), m.f64.const(1)))),
  ]);
  m.addFunction('tt_tanh64', f64, f64, [f64], body);
}

function addSigmoid64(m: M): void {
  const x = (): Ref => m.local.get(0, f64);
  const body = m.f64.div(m.f64.const(1), m.f64.add(m.f64.const(1), m.call('tt_exp64', [m.f64.neg(x())], f64)));
  m.addFunction('tt_sigmoid64', f64, f64, [], body);
}

const ADDERS: Readonly<Record<string, { deps: readonly string[]; add: (m: M) => void }>> = {
  tt_exp64: { deps: [], add: addExp64 },
  tt_log64: { deps: [], add: addLog64 },
  tt_sincos64: { deps: [], add: addSinCos64 },
  tt_erf64: { deps: ['tt_exp64'], add: addErf64 },
  tt_pow64: { deps: ['tt_exp64', 'tt_log64'], add: addPow64 },
  tt_tanh64: { deps: ['tt_exp64'], add: addTanh64 },
  tt_sigmoid64: { deps: ['tt_exp64'], add: addSigmoid64 },
};

/** Adds a helper function (and what it calls) to the module once. */
export function ensureHelper(mod: ModuleState, name: string): void {
  if (mod.helpers.has(name)) return;
  const h = ADDERS[name];
  if (!h) throw new Error(`wasm codegen: internal: unknown helper ${name}`);
  for (const d of h.deps) ensureHelper(mod, d);
  mod.helpers.add(name);
  h.add(mod.m);
}

/** Calls an f64 helper on f32 arguments and rounds the result back to f32. */
function viaF64(ctx: FuncContext, helper: string, args: readonly Ref[], extra: readonly Ref[] = []): Ref {
  ensureHelper(ctx.mod, helper);
  const m = ctx.m;
  return m.f32.demote(m.call(helper, [...args.map((a) => m.f64.promote(a)), ...extra], f64));
}

/** exp … pow on f32: the float32 helpers (bit-identical to the f32x4 lanes), or the f64 ones behind the A/B switch. */
function mathF32(ctx: FuncContext, op: MathF32Op, args: readonly Ref[]): Ref {
  if (usesF64Helper(op)) return viaF64(ctx, `tt_${op}64`, args);
  return ctx.m.call(ensureMathF32(ctx.mod, op, false), args, binaryen.f32);
}

/** Emits a scalar intrinsic call on already-emitted arguments. */
export function emitScalarIntrinsic(
  ctx: FuncContext, op: IntrinsicName, args: readonly Ref[], dtype: DataType, argDtype: DataType | undefined,
): Ref {
  const m = ctx.m;
  const a0 = args[0]!;
  const isF = argDtype !== undefined && elementType(argDtype) === 'float32';
  if (op === 'tir.storage_sync') return m.i32.const(0);
  if (op === 'tir.warp_shuffle') throw new Error('wasm codegen: tir.warp_shuffle (subgroup memory) exists on webgpu only; use scope \'local\' or \'shared\' for wasm');
  if (op === 'tir.if_then_else') throw new Error('wasm codegen: internal: tir.if_then_else is lazy and emitted by expr_emitter/simd, not on evaluated arguments');
  if (op === 'abs' && !isF) {
    const l = ctx.addLocal(i32);
    return m.select(m.i32.lt_s(m.local.get(l, i32), m.i32.const(0)), m.i32.sub(m.i32.const(0), m.local.tee(l, a0, i32)), m.local.get(l, i32));
  }
  if (!isF) throw new Error(`wasm codegen: intrinsic ${op} on ${argDtype ?? 'no arguments'} is not supported (float32 only)`);
  void dtype;
  switch (op) {
    case 'sqrt': return m.f32.sqrt(a0);
    case 'rsqrt': return m.f32.div(m.f32.const(1), m.f32.sqrt(a0));
    case 'abs': return m.f32.abs(a0);
    case 'floor': return m.f32.floor(a0);
    case 'ceil': return m.f32.ceil(a0);
    case 'trunc': return m.f32.trunc(a0);
    case 'round': return m.f32.nearest(a0);
    case 'fma': return m.f32.add(m.f32.mul(a0, args[1]!), args[2]!);
    case 'exp': return mathF32(ctx, 'exp', [a0]);
    case 'log': return mathF32(ctx, 'log', [a0]);
    case 'tanh': return mathF32(ctx, 'tanh', [a0]);
    case 'sigmoid': return mathF32(ctx, 'sigmoid', [a0]);
    case 'erf': return mathF32(ctx, 'erf', [a0]);
    case 'pow': return mathF32(ctx, 'pow', [a0, args[1]!]);
    case 'sin': return viaF64(ctx, 'tt_sincos64', [a0], [m.i32.const(0)]);
    case 'cos': return viaF64(ctx, 'tt_sincos64', [a0], [m.i32.const(1)]);
  }
}
