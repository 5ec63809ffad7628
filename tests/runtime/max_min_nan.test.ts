// tests/runtime/max_min_nan.test.ts — max/min (reducers and elementwise) and ±inf/NaN constants give
// the same answers in the interpreter, on wasm (scalar and f32x4 SIMD) and on WebGPU, NaN and ±inf
// inputs included, checked against plain JS with the documented rule (docs/tir.md: NaN propagates).

import { afterAll, describe, expect, it } from 'vitest';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import type { PrimFunc } from '../../tir/nodes.js';
import { firstMismatch, runOn } from './targets_harness.js';

afterAll(releaseWebGPU);

/** The rule every target follows: NaN if either operand is NaN (numpy maximum, ONNX Max, wasm f32.max). */
const jsMax = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b);
const jsMin = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b);

type Sched = 'scalar' | 'vector' | 'gpu' | 'gpuVector';
const TARGETS: Readonly<Record<Sched, readonly string[]>> = {
  scalar: ['interpret', 'wasm -simd=0', 'wasm -simd=1'],
  vector: ['interpret', 'wasm -simd=1', 'wasm -simd=0'],
  gpu: ['webgpu'],
  gpuVector: ['webgpu'],
};

/** Schedules the single axis (rows) of `t` for one of the variants above. */
function schedule(t: te.Tensor, kind: Sched, reduce: boolean): te.Schedule {
  const s = te.createSchedule([t]);
  const st = s.stage(t);
  const k = reduce ? st.reduceAxis[0]! : undefined;
  if (kind === 'vector') {
    const [o, i] = st.split(st.axis[0]!, { factor: 4 });
    if (k) st.reorder(o, k, i);
    st.vectorize(i);
  } else if (kind === 'gpu') {
    const [o, i] = st.split(st.axis[0]!, { factor: 4 });
    st.bind(o, 'blockIdx.x'); st.bind(i, 'threadIdx.x');
  } else if (kind === 'gpuVector') {
    const [o, i] = st.split(st.axis[0]!, { factor: 8 });
    const [tx, v] = st.split(i, { factor: 4 });
    if (k) st.reorder(o, tx, k, v);
    st.bind(o, 'blockIdx.x'); st.bind(tx, 'threadIdx.x'); st.vectorize(v);
  }
  return s;
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1.5, -2.25, 3.4e38, -3.4e38, 1e-40];

/** Rows that exercise NaN/inf placement (first, middle, last), all -inf, all +inf, mixed, plain. */
function rows(nRows: number, K: number): Float32Array {
  const a = new Float32Array(nRows * K);
  for (let r = 0; r < nRows; r++) {
    for (let k = 0; k < K; k++) {
      const v = (r * 7 + k * 3) % 11;
      a[r * K + k] = r % 6 === 0 ? -Infinity : r % 6 === 1 ? Infinity : r % 6 === 5 ? v - 5 : SPECIAL[(r + k) % SPECIAL.length]!;
    }
    if (r % 6 === 2) a[r * K] = NaN;
    if (r % 6 === 3) a[r * K + K - 1] = NaN;
  }
  return a;
}

async function check(f: PrimFunc, targets: readonly string[], inputs: Float32Array[], want: Float32Array, what: string): Promise<void> {
  for (const t of targets) {
    const out = (await runOn(f, [...inputs, new Float32Array(want.length)], t))[inputs.length]!;
    const bad = firstMismatch(out, want);
    expect(bad, `${what} on ${t}: element ${bad} is ${out[bad]}, expected ${want[bad]}`).toBe(-1);
  }
}

describe('max/min with NaN and ±inf on every target', () => {
  for (const combiner of ['max', 'min'] as const) {
    for (const kind of ['scalar', 'vector', 'gpu', 'gpuVector'] as const) {
      it(`reduces te.${combiner} over rows holding NaN and ±inf (${kind} schedule)`, async () => {
        for (const [nRows, K] of [[12, 5], [13, 1], [18, 9]] as const) {
          const A = te.placeholder([nRows, K], 'float32', 'A');
          const k = te.reduceAxis(K, 'k');
          const R = te.compute([nRows], (i) => te[combiner](A.at(i, k), [k]), 'R');
          const f = te.lower(schedule(R, kind, true), [A, R], { name: `reduce_${combiner}` });
          const a = rows(nRows, K);
          const want = new Float32Array(nRows);
          const op = combiner === 'max' ? jsMax : jsMin;
          for (let r = 0; r < nRows; r++) {
            let acc = combiner === 'max' ? -Infinity : Infinity;
            for (let j = 0; j < K; j++) acc = op(acc, a[r * K + j]!);
            want[r] = acc;
          }
          await check(f, TARGETS[kind], [a], want, `te.${combiner} ${nRows}x${K}`);
        }
      });

      it(`takes the elementwise te.${combiner}imum of NaN and ±inf pairs (${kind} schedule)`, async () => {
        const n = SPECIAL.length * SPECIAL.length + 3;
        const a = new Float32Array(n), b = new Float32Array(n);
        for (let i = 0; i < SPECIAL.length * SPECIAL.length; i++) {
          a[i] = SPECIAL[i % SPECIAL.length]!;
          b[i] = SPECIAL[Math.floor(i / SPECIAL.length)]!;
        }
        const A = te.placeholder([n], 'float32', 'A');
        const B = te.placeholder([n], 'float32', 'B');
        const C = te.compute([n], (i) => (combiner === 'max' ? te.maximum : te.minimum)(A.at(i), B.at(i)), 'C');
        const f = te.lower(schedule(C, kind, false), [A, B, C], { name: `elem_${combiner}` });
        const op = combiner === 'max' ? jsMax : jsMin;
        const want = Float32Array.from(a, (x, i) => op(x, b[i]!));
        await check(f, TARGETS[kind], [a, b], want, `te.${combiner}imum`);
      });
    }
  }

  for (const kind of ['scalar', 'vector', 'gpu', 'gpuVector'] as const) {
    it(`uses te.const(Infinity), te.const(-Infinity) and te.const(NaN) as values (${kind} schedule)`, async () => {
      const n = 11;
      const A = te.placeholder([n], 'float32', 'A');
      const C = te.compute([n], (i) => te.select(A.at(i).gt(0), te.const(Infinity),
        te.select(A.at(i).lt(0), te.const(-Infinity), te.const(NaN).add(A.at(i)))), 'C');
      const f = te.lower(schedule(C, kind, false), [A, C], { name: 'consts' });
      const a = Float32Array.from({ length: n }, (_, i) => (i % 3) - 1);
      const want = Float32Array.from(a, (x) => (x > 0 ? Infinity : x < 0 ? -Infinity : NaN));
      await check(f, TARGETS[kind], [a], want, 'inf/NaN constants');
    });
  }
});
