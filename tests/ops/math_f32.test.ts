// tests/ops/math_f32.test.ts — the ops on the float32 math helpers (log, erf, gelu, pow, logSoftmax) built
// with ops.defaultSchedule on wasm (SIMD on: f32x4 body and scalar tail; SIMD off; 2 threads), on rows of
// 37 (4 does not divide) and wide ranges, against TensorFlow.js (CPU) or plain JS in float64.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import * as ops from '../../ops/index.js';
import * as te from '../../schedule/index.js';
import { erfRef } from '../codegen/wasm/mathf32_harness.js';
import { checkCases, cpuBackend, input, tfRef, type Input } from './ops_harness.js';

beforeAll(cpuBackend);

const TARGETS = ['wasm', 'wasm -simd=0', 'wasm -threads=2'];

/** A float32 input with given values. */
function fixed(shape: readonly number[], name: string, f: (i: number) => number): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  return { t: te.placeholder(shape, 'float32', name), data: Float32Array.from({ length: n }, (_, i) => f(i)) };
}

describe('log, erf, gelu, pow and logSoftmax on the float32 helpers', () => {
  it.each(TARGETS)('rows of 37 over wide ranges against tfjs CPU and plain JS on %s', async (target) => {
    const a = input([3, 37], 21, 'a', -6, 6);
    const p = fixed([3, 37], 'p', (i) => 2 ** (-30 + (60 * i) / 110)); // 2^-30 … 2^30
    const q = input([3, 37], 23, 'q', -4, 4);
    const nb = fixed([3, 37], 'nb', (i) => -(0.25 + (i % 13) * 0.37));
    const ei = fixed([3, 37], 'ei', (i) => (i % 17) - 8); // integers −8 … 8, odd and even
    const inputs = [a, p, q, nb, ei];
    const ad = a.data as Float32Array;
    const ref = (fn: (...xs: tf.Tensor[]) => tf.Tensor): Float32Array => tfRef(inputs, fn) as Float32Array;
    await checkCases(target, inputs, [
      { name: 'log 2^-30…2^30', out: ops.log(p.t), want: ref((_a, P) => tf.log(P!)), tol: 1e-6 },
      { name: 'erf [-6, 6]', out: ops.erf(a.t), want: Float32Array.from(ad, erfRef), tol: 1e-6 },
      { name: 'gelu (erf form)', out: ops.gelu(a.t), want: Float32Array.from(ad, (v) => 0.5 * v * (1 + erfRef(v / Math.SQRT2))), tol: 1e-6 },
      { name: 'pow 2^±30 ^ [-4, 4]', out: ops.pow(p.t, q.t), want: ref((_a, P, Q) => tf.pow(P!, Q!)), tol: 1e-6 },
      { name: 'pow negative base ^ integer', out: ops.pow(nb.t, ei.t), want: ref((_a, _p, _q, NB, EI) => tf.pow(NB!, EI!)), tol: 1e-6 },
      { name: 'pow negative base ^ non-integer is NaN', out: ops.pow(nb.t, q.t), want: ref((_a, _p, Q, NB) => tf.pow(NB!, Q!)), tol: 1e-6 },
    ]);
  });

  it.each(TARGETS)('logSoftmax [8, 1000] against tfjs CPU on %s', async (target) => {
    const x = input([8, 1000], 24, 'x', -10, 10);
    await checkCases(target, [x], [{ name: 'logSoftmax', out: ops.logSoftmax(x.t), want: tfRef([x], (X) => tf.logSoftmax(X!)), tol: 1e-6 }]);
  });
});
