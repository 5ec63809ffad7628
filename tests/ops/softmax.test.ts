// tests/ops/softmax.test.ts — softmax and log_softmax over every axis (negative too, 1-element axis,
// batch 2, large logits that overflow a naive exp) built with ops.defaultSchedule on wasm (1 and 2
// threads) and WebGPU, checked against TensorFlow.js (CPU) on transposed inputs; named errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { print } from '../../tir/printer.js';
import type { Stmt } from '../../tir/nodes.js';
import { ALL_TARGETS, checkCases, cpuBackend, expectOpError, input, tfRef, type Case } from './ops_harness.js';

afterAll(releaseWebGPU);

/** The lines of a lowered body that call exp, and how many of them store into T_softmax_exp. */
function expLines(body: Stmt): { all: number; intoExpStage: number } {
  const lines = print(body).split('\n').filter((l) => /\bexp\(/.test(l));
  return { all: lines.length, intoExpStage: lines.filter((l) => /^\s*T_softmax_exp\[/.test(l)).length };
}
beforeAll(cpuBackend);

/** tfjs softmax/logSoftmax work on the last axis: move `axis` last, apply, move it back. */
function alongAxis(fn: (t: tf.Tensor) => tf.Tensor, x: tf.Tensor, axis: number): tf.Tensor {
  const r = x.rank;
  const a = axis < 0 ? axis + r : axis;
  const perm = [...Array(r).keys()].filter((d) => d !== a).concat(a);
  const inv = perm.map((_, i) => perm.indexOf(i));
  return tf.transpose(fn(tf.transpose(x, perm)), inv);
}

describe('softmax and logSoftmax with defaultSchedule', () => {
  it.each(ALL_TARGETS)('every axis, large logits, 1-element axis on %s', async (target) => {
    const x = input([2, 3, 5], 1, 'x', -4, 4);
    const big = input([2, 7], 2, 'big', 80, 120); // exp(120) overflows float32: only a stable softmax survives
    const one = input([3, 1], 3, 'one');
    const inputs = [x, big, one];
    const cases: Case[] = [];
    for (const [t, at] of [[x, 0], [big, 1], [one, 2]] as const) {
      const axes = at === 0 ? [-1, 0, 1] : [-1, 0];
      for (const axis of axes) {
        cases.push({ name: `softmax(${t.t.name}, ${axis})`, out: ops.softmax(t.t, axis), want: tfRef(inputs, (...xs) => alongAxis(tf.softmax, xs[at]!, axis)), tol: 1e-5 });
        cases.push({ name: `logSoftmax(${t.t.name}, ${axis})`, out: ops.logSoftmax(t.t, axis), want: tfRef(inputs, (...xs) => alongAxis(tf.logSoftmax, xs[at]!, axis)), tol: 1e-5 });
      }
    }
    cases.push({ name: 'softmax default axis', out: ops.softmax(x.t), want: tfRef(inputs, (X) => tf.softmax(X!)), tol: 1e-5 });
    await checkCases(target, inputs, cases);
  });

  // Rows of 150: on WebGPU the max and the exp-sum are reduced across a workgroup (rfactor).
  it.each(ALL_TARGETS)('long rows (cross-thread max and sum on WebGPU) on %s', async (target) => {
    const x = input([2, 150], 4, 'x', -6, 6);
    const inputs = [x];
    await checkCases(target, inputs, [
      { name: 'softmax [2,150]', out: ops.softmax(x.t), want: tfRef(inputs, (X) => tf.softmax(X!)), tol: 1e-5 },
    ]);
  }, 180_000);

  // Rows 4 does not divide (PP-OCRv4 rec's 6625 classes, here 53, 19, 18): the wasm default vectorizes
  // them with a scalar tail; checked against plain JS in float64.
  it.each(['wasm', 'wasm -simd=0', 'wasm -threads=2'])('rows of 53, 19 and 18 (vector body, scalar tail) against plain JS on %s', async (target) => {
    const inputs = [input([3, 53], 5, 'a', -30, 30), input([4, 19], 6, 'b', -8, 8), input([2, 18], 7, 'c', 80, 120)];
    const plain = (data: Float32Array, rows: number, n: number): Float32Array => {
      const out = new Float32Array(rows * n);
      for (let r = 0; r < rows; r++) {
        const row = Array.from(data.subarray(r * n, (r + 1) * n));
        const m = Math.max(...row);
        const sum = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
        row.forEach((v, j) => { out[r * n + j] = Math.exp(v - m) / sum; });
      }
      return out;
    };
    await checkCases(target, inputs, inputs.map((i) => {
      const [rows, n] = i.t.dims as [number, number];
      return { name: `softmax [${rows},${n}]`, out: ops.softmax(i.t), want: plain(i.data as Float32Array, rows, n), tol: 1e-5 };
    }));
  });

  it('is four stages as TOPI\'s softmax_common (max, exp, exp-sum, normalize) and keeps the shape', () => {
    const x = te.placeholder([4, 6], 'float32', 'x');
    const y = ops.softmax(x, 0);
    expect(y.dims).toEqual([4, 6]);
    expect(te.postOrderOps([y]).filter((op) => op.kind === 'compute').map((op) => op.name)).toEqual(['T_softmax_maxelem', 'T_softmax_exp', 'T_softmax_expsum', 'T_softmax_norm']);
  });

  it('defaultSchedule keeps the exp stage, so the lowered function computes each exp once (wasm and WebGPU)', () => {
    const x = te.placeholder([3, 53], 'float32', 'x');
    const y = ops.softmax(x);
    for (const target of ['wasm -threads=1', 'webgpu']) {
      const s = ops.defaultSchedule([y], target);
      expect(s.stages.find((st) => st.name === 'T_softmax_exp')!.attach.type).toBe('root');
      // exp appears only where T_softmax_exp is stored (a vector body and its scalar tail), never in the sum or the quotient.
      const { all, intoExpStage } = expLines(te.lower(s, [x, y], { name: 'sm' }).body);
      expect(all).toBeGreaterThan(0);
      expect(intoExpStage).toBe(all);
    }
  });
});

describe('softmax errors', () => {
  const x = te.placeholder([2, 3], 'float32', 'x');
  it('axis out of range, int input', () => {
    expectOpError(() => ops.softmax(x, 2), 'softmax', 'axis 2 is out of range for a 2-D tensor');
    expectOpError(() => ops.logSoftmax(x, -3), 'logSoftmax', 'out of range');
    expectOpError(() => ops.softmax(te.placeholder([2], 'int32', 'i')), 'softmax', 'needs float32');
  });
});
