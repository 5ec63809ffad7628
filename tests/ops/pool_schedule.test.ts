// tests/ops/pool_schedule.test.ts — the default wasm pool schedule (ops/schedule_pool_wasm.ts: N×C parallel,
// columns in vectorized blocks of 4, the window accumulated in a local, padding read through a guard only
// at the borders) against pooling by its ONNX definition in plain JS and TensorFlow.js (CPU): shapes no
// block of 4 divides (odd H/W, outputs narrower than 4, C not a multiple of 4), padding on every side,
// strides 1/2/3, dilation, ceil mode, count-include-pad both ways, fused epilogues (inlined chains,
// broadcast bias), the pool as an output, on wasm with and without SIMD and on 2 threads (every parallel loop on the workers).

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { ALWAYS_PARALLEL, setParallelCostModel } from '../../runtime/parallel_cost.js';
import * as te from '../../schedule/index.js';
import { print } from '../../tir/printer.js';
import { checkCases, cpuBackend, input, tfRef, type Case } from './ops_harness.js';
import { poolRef as ref, type P } from './pool_reference.js';

// Every parallel loop on the workers (the default cost model would keep these small loops on the caller).
let saved: ReturnType<typeof setParallelCostModel>;
beforeAll(async () => {
  await cpuBackend();
  saved = setParallelCostModel(ALWAYS_PARALLEL);
});
afterAll(() => { setParallelCostModel(saved); });

const TARGETS = ['wasm', 'wasm -simd=0', 'wasm -threads=2'] as const;

const opts = (q: P): ops.Pool2dOptions => ({ kernel: q.k, strides: q.s, padding: q.p, dilation: q.d, ceilMode: q.ceil, countIncludePad: q.incl });
const label = (q: P): string => JSON.stringify(q).replace(/"/g, '');

/** Window geometries: none leaves the column count a multiple of 4 by design, several are narrower than 4. */
const CONFIGS: readonly P[] = [
  { k: [3, 3], s: [1, 1], p: [1, 1, 1, 1] },
  { k: [3, 3], s: [2, 2], p: [1, 1, 1, 1] },
  { k: [3, 3], s: [3, 3], p: [2, 1, 0, 2] },
  { k: [2, 2], s: [2, 2] },
  { k: [3, 3], s: [2, 2], ceil: true },
  { k: [3, 3], s: [2, 2], p: [1, 2, 2, 1], ceil: true },
  { k: [2, 3], s: [1, 3], d: [2, 2], p: [1, 2, 0, 1] },
  { k: [5, 5], s: [1, 1], p: [2, 2, 2, 2] },
  { k: [1, 1], s: [2, 1] },
  { k: [3, 1], s: [1, 2], p: [0, 0, 2, 0] },
];
const SHAPES: readonly (readonly [number, number, number, number])[] = [[1, 3, 7, 9], [2, 5, 11, 6], [1, 8, 20, 20]];

describe('default wasm pool schedule', () => {
  it.each(TARGETS)('maxPool2d over shapes and geometries on %s', async (target) => {
    const xs = SHAPES.map((s, i) => input(s, 11 + i, `x${i}`));
    const cases: Case[] = xs.flatMap((x) => CONFIGS.map((q): Case => ({ name: `maxPool2d ${x.t.dims.join('x')} ${label(q)}`, out: ops.maxPool2d(x.t, opts(q)), ...ref(x, 'max', q) })));
    await checkCases(target, xs, cases);
  });

  it.each(TARGETS)('avgPool2d, count_include_pad both ways, over shapes and geometries on %s', async (target) => {
    const xs = SHAPES.map((s, i) => input(s, 21 + i, `x${i}`));
    const cases: Case[] = xs.flatMap((x) => CONFIGS.flatMap((q) => [false, true].map((incl): Case => ({
      name: `avgPool2d ${x.t.dims.join('x')} ${label({ ...q, incl })}`, out: ops.avgPool2d(x.t, opts({ ...q, incl })), ...ref(x, 'avg', { ...q, incl }), tol: 1e-5,
    }))));
    await checkCases(target, xs, cases);
  });

  it.each(TARGETS)('fused epilogues, the pool as an output, tfjs pools, global pools on %s', async (target) => {
    const x = input([2, 6, 13, 10], 31, 'x');
    const bias = input([1, 6, 1, 1], 32, 'bias');
    const inputs = [x, bias];
    const q: P = { k: [3, 3], s: [2, 2], p: [1, 1, 1, 1] };
    const m = ref(x, 'max', q);
    const a = ref(x, 'avg', q);
    const C = 6;
    const plane = m.shape[2]! * m.shape[3]!;
    const biased = (v: Float32Array, f: (t: number) => number): Float32Array => v.map((t, i) => f(t) + bias.data[Math.floor(i / plane) % C]!);
    const both = ops.maxPool2d(x.t, opts(q));
    const nhwc = (t: tf.Tensor): tf.Tensor4D => tf.transpose(t, [0, 2, 3, 1]) as tf.Tensor4D;
    const nchw = (t: tf.Tensor): tf.Tensor => tf.transpose(t, [0, 3, 1, 2]);
    const cases: Case[] = [
      { name: 'relu(maxPool2d) + bias (inlined chain)', out: ops.add(ops.relu(ops.maxPool2d(x.t, opts(q))), bias.t), want: biased(m.want, (t) => Math.max(t, 0)), shape: m.shape },
      { name: 'sigmoid(avgPool2d) * 2', out: ops.mul(ops.sigmoid(ops.avgPool2d(x.t, opts(q))), 2), want: a.want.map((t) => 2 / (1 + Math.exp(-t))), tol: 1e-5 },
      { name: 'maxPool2d as an output', out: both, ...m },
      { name: 'relu of that output', out: ops.relu(both), want: m.want.map((t) => Math.max(t, 0)) },
      { name: 'maxPool2d 3x3/2 same (tfjs: pads 1, 0, 1, 1 on 13×10)', out: ops.maxPool2d(x.t, { kernel: [3, 3], strides: [2, 2], padding: [1, 0, 1, 1] }),
        want: tfRef(inputs, (X) => nchw(tf.maxPool(nhwc(X!), [3, 3], [2, 2], 'same'))) },
      { name: 'avgPool2d 2x2/2 valid (tfjs)', out: ops.avgPool2d(x.t, { kernel: [2, 2], strides: [2, 2] }),
        want: tfRef(inputs, (X) => nchw(tf.avgPool(nhwc(X!), [2, 2], [2, 2], 'valid'))), tol: 1e-5 },
      { name: 'globalAvgPool2d', out: ops.globalAvgPool2d(x.t), want: tfRef(inputs, (X) => tf.mean(X!, [2, 3], true)), tol: 1e-5 },
      { name: 'globalMaxPool2d', out: ops.globalMaxPool2d(x.t), want: tfRef(inputs, (X) => tf.max(X!, [2, 3], true)) },
    ];
    await checkCases(target, inputs, cases);
  });

  it('puts the window accumulator in a local vector and its output loop in f32x4 blocks', () => {
    const x = te.placeholder([1, 64, 112, 112], 'float32', 'x');
    const out = ops.maxPool2d(x, { kernel: [3, 3], strides: [2, 2], padding: [1, 1, 1, 1] });
    const text = print(te.lower(ops.defaultSchedule([out], 'wasm'), [x, out], { name: 'pool' }));
    expect(text).toContain('scope="local"');
    expect(text).toMatch(/# parallel/);
    expect(text).toMatch(/\[ramp\(0, 1, 4\)\] = max\(/);
  });
});
