// tests/codegen/wasm/mathf32_switches.test.ts — the A/B switches of codegen/wasm/mathf32.ts (WASM_EXP_IMPL) route
// each op to the helper the bench means to time: `f64` only exp, sigmoid and tanh (to the former f64 helpers),
// `f64LogErfPow` only log, erf and pow — checked by the helper a kernel calls (scalar and f32x4), one switch and one
// op at a time, and the switched kernels still compute the op (plain JS Math, rounded to float32). The bench
// (bench/mathf32.ts, bench/expf32.ts) reads its A/B result from these switches: an op routed to the wrong side
// would make it compare a kernel with itself. (Mutation sample, session 16: every mutant of usesF64Helper
// survived, no test turned a switch on.)

import binaryen from 'binaryen';
import { afterEach, describe, expect, it } from 'vitest';
import { codegenOptions } from '../../../codegen/wasm/compile_wasm.js';
import type { FuncContext, ModuleState } from '../../../codegen/wasm/func_context.js';
import { emitScalarIntrinsic } from '../../../codegen/wasm/intrinsics.js';
import { WASM_EXP_IMPL, isMathF32Op } from '../../../codegen/wasm/mathf32.js';
import { emitVectorMath, hasVectorMath } from '../../../codegen/wasm/vector_math.js';
import * as T from '../../../tir/nodes.js';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { runWasm } from './wasm_harness.js';

type Op = 'exp' | 'sigmoid' | 'tanh' | 'log' | 'erf' | 'pow';
const OPS: readonly Op[] = ['exp', 'sigmoid', 'tanh', 'log', 'erf', 'pow'];
const N = 8;

/** Y[i] = op(A[i]) (or pow(A[i], P[i])), the inner loop of 4 vectorized. */
function kernel(op: Op): T.PrimFunc {
  const A = T.buffer('A', [N], 'float32');
  const P = T.buffer('P', [N], 'float32');
  const B = T.buffer('B', [N], 'float32');
  const [io, ii] = [T.variable('io'), T.variable('ii')];
  const i = T.add(T.mul(io, T.intImm(4)), ii);
  const args = op === 'pow' ? [T.bufferLoad(A, [i]), T.bufferLoad(P, [i])] : [T.bufferLoad(A, [i])];
  const body = T.bufferStore(B, T.call(op, args), [i]);
  return runLoweringPasses(T.primFunc(`${op}_sw`, [A, P, B], T.forLoop(io, 0, N / 4, 'serial', T.forLoop(ii, 0, 4, 'vectorized', body)))).func;
}

/**
 * The helpers a module gets for one `op` call: scalar (emitScalarIntrinsic, as a SIMD-off kernel emits it) or
 * f32x4 (emitVectorMath when hasVectorMath, else undefined: the emitter then goes lane by lane through the scalar
 * call). The emitted module has no name section, so the names are read off the module state.
 */
function helpersFor(op: Op, vector: boolean): string[] | undefined {
  const m = new binaryen.Module();
  try {
    const mod: ModuleState = { m, opts: codegenOptions('wasm'), outlined: [], outlinedByLoop: new Map(), helpers: new Set<string>() };
    const ty = vector ? binaryen.v128 : binaryen.f32;
    const args = Array.from({ length: op === 'pow' ? 2 : 1 }, (_, k) => m.local.get(k, ty));
    if (vector) {
      if (!hasVectorMath(op)) return undefined;
      emitVectorMath(mod, op, args);
    } else {
      emitScalarIntrinsic({ m, mod } as unknown as FuncContext, op, args, 'float32', 'float32');
    }
    return [...mod.helpers].sort();
  } finally {
    m.dispose();
  }
}

const REF: Record<Op, (x: number, p: number) => number> = {
  exp: (x) => Math.exp(x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
  log: (x) => Math.log(x),
  // Abramowitz–Stegun 7.1.26 would be too coarse; erf by its Maclaurin series, converged for |x| ≤ 2.
  erf: (x) => {
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  },
  pow: (x, p) => Math.pow(x, p),
};
const X = Float32Array.of(0.3, 1.7, 0.05, 1.2, 0.9, 2, 0.6, 1.4);
const P = Float32Array.of(2.5, -1.3, 0.5, 3, 7.25, -0.75, 1.5, 0.1);

afterEach(() => {
  WASM_EXP_IMPL.f64 = false;
  WASM_EXP_IMPL.f64LogErfPow = false;
});

describe('WASM_EXP_IMPL routes each op to one side of the A/B', () => {
  for (const sw of ['f64', 'f64LogErfPow'] as const) {
    for (const op of OPS) {
      const switched = sw === 'f64' ? ['exp', 'sigmoid', 'tanh'].includes(op) : ['log', 'erf', 'pow'].includes(op);
      it(`${sw} on: ${op} ${switched ? 'through the former f64 helper' : 'keeps the float32 helper'}`, async () => {
        WASM_EXP_IMPL[sw] = true;
        const scalar = helpersFor(op, false);
        const vector = helpersFor(op, true);
        if (!switched) {
          // The float32 helper and what it calls (sigmoid, tanh, erf: exp), nothing of the f64 side.
          expect(scalar).toContain(`tt_${op}f32`);
          expect(scalar!.filter((h) => /^tt_\w+64$/.test(h) && h !== 'tt_powcore64')).toEqual([]);
          expect(vector).toContain(`tt_v${op}`);
          expect(vector!.filter((h) => /64(x2)?$/.test(h) && h !== 'tt_vpowcore64x2')).toEqual([]);
        } else if (sw === 'f64') {
          expect(scalar).toContain(`tt_${op}64`);
          expect(scalar!.filter((h) => h.endsWith('f32'))).toEqual([]);
          // The former f64x2 forms: the shared exp core and the op's wrapper (tt_vexp64, …).
          expect(vector).toEqual([...new Set(['tt_exp64x2', `tt_v${op}64`])].sort());
        } else {
          expect(scalar).toContain(`tt_${op}64`);
          expect(scalar!.filter((h) => h.endsWith('f32'))).toEqual([]);
          expect(vector, `${op} has no f32x4 form: lane by lane through tt_${op}64`).toBeUndefined();
        }
        // Either side computes the op: within 4 float32 ulps of plain JS (both sides are closer; this is not their accuracy test).
        for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
          const out = (await runWasm(kernel(op), [X, P, new Float32Array(N)], target))[2]!;
          for (let i = 0; i < N; i++) {
            const want = Math.fround(REF[op](X[i]!, P[i]!));
            expect(Math.abs(out[i]! - want), `${target} ${op}(${X[i]}${op === 'pow' ? `, ${P[i]}` : ''}) = ${out[i]}, plain JS ${want}`)
              .toBeLessThanOrEqual(4 * 2 ** -23 * Math.abs(want));
          }
        }
      });
    }
  }

  it('with both off every op keeps its float32 helpers (the default the suite runs)', () => {
    for (const op of OPS) {
      expect(helpersFor(op, false), op).toContain(`tt_${op}f32`);
      expect(helpersFor(op, true), op).toContain(`tt_v${op}`);
      expect(isMathF32Op(op), op).toBe(true);
    }
    for (const other of ['sqrt', 'sin', 'rsqrt', 'abs']) expect(isMathF32Op(other), other).toBe(false);
  });
});
