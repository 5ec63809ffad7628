// codegen/wasm/mathf32.ts — the float32 math helpers (exp, sigmoid, tanh, log, erf, pow) by name: each
// is described once over the FOps table (expf32.ts, logf32.ts, erff32.ts, powf32.ts) and added to a
// module on demand as a scalar f32 function (tt_expf32, …) or an f32x4 one (tt_vexp, …), with the
// helpers it calls. The two forms run the same IEEE operations per lane, so they give the same bits.

import binaryen from 'binaryen';
import type { ModuleState } from './func_context.js';
import { scalarOps, vectorOps, type MathF32Op, type MathHelper } from './fops.js';
import { EXPF_HELPERS } from './expf32.js';
import { LOGF_HELPER } from './logf32.js';
import { ERFF_HELPER } from './erff32.js';
import { POWF_HELPER } from './powf32.js';

/**
 * Internal A/B switches for benches only, read at emit time. `f64: true` brings back the former exp,
 * sigmoid and tanh (f32 widened to f64, a 14-term Taylor exp; on f32x4 each half as f64x2);
 * `f64LogErfPow: true` the former log (atanh series), erf (Numerical Recipes' erfc) and pow (their
 * exp·log), in f64 and lane by lane on vectors — session 14's state, so either change can be measured alone.
 */
export const WASM_EXP_IMPL = { f64: false, f64LogErfPow: false };

/** Whether `op` is emitted through the former f64 helpers now (the A/B switches above). */
export function usesF64Helper(op: MathF32Op): boolean {
  return op === 'log' || op === 'erf' || op === 'pow' ? WASM_EXP_IMPL.f64LogErfPow : WASM_EXP_IMPL.f64;
}

const HELPERS: Readonly<Record<MathF32Op, MathHelper>> = { ...EXPF_HELPERS, log: LOGF_HELPER, erf: ERFF_HELPER, pow: POWF_HELPER };

/** Scalar f32 and f32x4 helper names for each op. */
export const MATHF32_NAMES: Readonly<Record<MathF32Op, { scalar: string; vector: string }>> = {
  exp: { scalar: 'tt_expf32', vector: 'tt_vexp' },
  sigmoid: { scalar: 'tt_sigmoidf32', vector: 'tt_vsigmoid' },
  tanh: { scalar: 'tt_tanhf32', vector: 'tt_vtanh' },
  log: { scalar: 'tt_logf32', vector: 'tt_vlog' },
  erf: { scalar: 'tt_erff32', vector: 'tt_verf' },
  pow: { scalar: 'tt_powf32', vector: 'tt_vpow' },
};

/** True for the ops with a float32 helper here. */
export function isMathF32Op(op: string): op is MathF32Op {
  return op in MATHF32_NAMES;
}

/** Adds the float32 helper for `op` (and what it calls) to the module once; returns its name. */
export function ensureMathF32(mod: ModuleState, op: MathF32Op, vector: boolean): string {
  const name = MATHF32_NAMES[op][vector ? 'vector' : 'scalar'];
  if (mod.helpers.has(name)) return name;
  const h = HELPERS[op];
  for (const d of h.deps) ensureMathF32(mod, d, vector);
  const extra = h.extra?.(mod.m, vector);
  if (extra && !mod.helpers.has(extra.name)) {
    mod.helpers.add(extra.name);
    extra.add();
  }
  mod.helpers.add(name);
  const o = vector ? vectorOps(mod.m) : scalarOps(mod.m);
  const params = binaryen.createType(Array.from({ length: h.params }, () => o.ty));
  mod.m.addFunction(name, params, o.ty, h.locals(o), h.body(o, (d) => MATHF32_NAMES[d][vector ? 'vector' : 'scalar']));
  return name;
}
