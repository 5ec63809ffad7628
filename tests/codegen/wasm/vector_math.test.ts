// tests/codegen/wasm/vector_math.test.ts — exp, sigmoid and tanh on f32x4 (codegen/wasm/vector_math.ts)
// at the edges of their range reductions: huge and tiny arguments (exp overflowing float32 and
// float64, underflowing to 0, subnormal results), tanh below 1e-5 (x itself) and beyond ±10 (±1),
// sigmoid at both tails, ±0, every lane of a v128 different; vectorized with SIMD on, and the
// scalar build (SIMD off), both against Math.exp / Math.tanh in plain JS rounded to float32.

import { describe, expect, it } from 'vitest';
import * as T from '../../../tir/nodes.js';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { runWasm } from './wasm_harness.js';

const EDGES = [
  -1000, -800, -745.3, -745.1, -104, -103.5, -100, -87.5, -20, -10.5, -10, -9.99, -1, -0.5, -2e-5, -1e-5, -9e-6, -1e-30, -0, 0,
  1e-30, 9e-6, 1e-5, 2e-5, 0.25, 0.5, 0.6931, 1, 2.5, 9.99, 10, 10.01, 20, 50, 88, 88.7, 88.8, 89, 100, 700, 709.7, 709.8, 710, 1000,
];
const N = Math.ceil(EDGES.length / 8) * 8;
const X = Float32Array.from({ length: N }, (_, i) => EDGES[i % EDGES.length]! * (i >= EDGES.length ? 0.37 : 1));

const REF: Record<'exp' | 'tanh' | 'sigmoid', (x: number) => number> = {
  exp: Math.exp,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};

function kernel(op: 'exp' | 'tanh' | 'sigmoid', lanes: number): T.PrimFunc {
  const A = T.buffer('A', [N], 'float32');
  const B = T.buffer('B', [N], 'float32');
  const io = T.variable('io');
  const ii = T.variable('ii');
  const i = T.add(T.mul(io, T.intImm(lanes)), ii);
  const body = T.bufferStore(B, T.call(op, [T.bufferLoad(A, [i])]), [i]);
  return runLoweringPasses(T.primFunc(`${op}_${lanes}`, [A, B], T.forLoop(io, 0, N / lanes, 'serial', T.forLoop(ii, 0, lanes, 'vectorized', body)))).func;
}

describe('vector exp / sigmoid / tanh at the edges, against plain JS', () => {
  for (const op of ['exp', 'tanh', 'sigmoid'] as const) {
    it(op, async () => {
      for (const target of ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1']) {
        for (const lanes of [4, 8]) {
          const out = (await runWasm(kernel(op, lanes), [X, new Float32Array(N)], target))[1]!;
          for (let i = 0; i < N; i++) {
            const want = Math.fround(REF[op](X[i]!));
            const got = out[i]!;
            const what = `${target}, ${lanes} lanes: ${op}(${X[i]}) = ${got}, plain JS ${want}`;
            if (!Number.isFinite(want) || want === 0) expect(got, what).toBe(want);
            else if (Math.abs(want) < 1.2e-38) expect(Math.abs(got - want), what).toBeLessThanOrEqual(2 ** -148); // subnormal: two ulp
            else expect(Math.abs(got - want) / Math.abs(want), what).toBeLessThanOrEqual(2 ** -22); // 2 ulp (expf32.ts's bound)
          }
        }
      }
    });
  }
});
