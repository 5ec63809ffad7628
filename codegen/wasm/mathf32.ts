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
 * Internal A/B switch for benches only: `f64: true` brings back the former helpers (f32 widened to
 * f64: a 14-term Taylor exp, an atanh-series log, Numerical Recipes' erfc, pow as their exp·log) on
 * the scalar path, and on f32x4 each half as f64x2 for exp/sigmoid/tanh and lane by lane for
 * log/erf/pow. Read at emit time.
 */
export const WASM_EXP_IMPL = { f64: false };

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
