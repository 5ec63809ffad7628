// tests/ops/default_schedule.test.ts — ops.defaultSchedule: injective stages inlined into their consumers
// (TVM's traverse_inline), parallel + vectorized loops on wasm, bound blockIdx/threadIdx (and rfactor for
// long reductions) on WebGPU, wasm reductions over the contiguous axis rfactor'd into vector partial sums, anchors handed to scheduleAnchor; wasm injective row loops against plain JS; a whole chain of ops (pad → pool →
// batch norm → relu → global pool → flatten → dense + bias → logSoftmax) against TensorFlow.js; errors.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ops from '../../ops/index.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { ALL_TARGETS, checkCases, cpuBackend, input, tfRef } from './ops_harness.js';

afterAll(releaseWebGPU);
beforeAll(cpuBackend);

const kinds = (st: te.Stage): string[] => st.leaves.map((l) => st.iterAttrs.get(l)?.forKind ?? 'serial');
const tags = (st: te.Stage): string[] => st.leaves.flatMap((l) => st.iterAttrs.get(l)?.threadTag ?? []);

describe('defaultSchedule structure', () => {
  const x = te.placeholder([2, 3, 8], 'float32', 'x');
  const b = te.placeholder([8], 'float32', 'b');

  it('inlines every injective stage that is not an output, keeps outputs and reductions at root', () => {
    const t = ops.transpose(ops.add(x, b), [1, 0, 2]);
    const r = ops.sum(ops.exp(t), [0]);
    const y = ops.relu(ops.mul(r, 2));
    const s = ops.defaultSchedule([y, t], 'wasm');
    const attach = Object.fromEntries(s.stages.filter((st) => st.op.kind === 'compute').map((st) => [st.name, st.attach.type]));
    expect(attach).toEqual({ T_add: 'inline', T_transpose: 'root', T_exp: 'inline', T_sum: 'root', T_multiply: 'inline', T_relu: 'root' });
  });

  it('wasm: outer loops fused and parallel, a last axis of 8 split by 4 and vectorized, its 2 vectors a loop of their own', () => {
    const y = ops.relu(ops.add(x, b));
    const st = ops.defaultSchedule([y], 'wasm -threads=2').stage(y);
    expect(kinds(st)).toEqual(['parallel', 'serial', 'vectorized']);
    expect(st.leaves.map((l) => l.dom.extent)).toMatchObject([{ value: 2 * 3 }, { value: 2 }, { value: 4 }]);
    // A row of one vector is fused into the parallel loop; trailing unit axes move outside the row.
    const z = ops.relu(te.placeholder([2, 3, 4], 'float32', 'z'));
    expect(kinds(ops.defaultSchedule([z], 'wasm').stage(z))).toEqual(['parallel', 'vectorized']);
    const u = ops.relu(te.placeholder([3, 12, 1], 'float32', 'u'));
    const su = ops.defaultSchedule([u], 'wasm').stage(u);
    expect(kinds(su)).toEqual(['parallel', 'serial', 'vectorized']);
    expect(su.leaves.map((l) => l.dom.extent)).toMatchObject([{ value: 3 }, { value: 3 }, { value: 4 }]);
  });

  it('wasm: a reduction over an outer axis vectorizes the contiguous output axis inside the reduce loop', () => {
    const y = ops.sum(x, [1]);
    const st = ops.defaultSchedule([y], 'wasm').stage(y);
    expect(st.leaves.map((l) => l.iterType)).toEqual(['data', 'reduce', 'data']);
    expect(kinds(st)).toEqual(['parallel', 'serial', 'vectorized']);
    // Over the last axis the reads are not contiguous along the output: no vector lanes.
    const z = ops.sum(x, [2]);
    expect(kinds(ops.defaultSchedule([z], 'wasm').stage(z))).not.toContain('vectorized');
  });

  it('webgpu: every root stage bound to blockIdx.x and threadIdx.x; long rows reduced across threads with rfactor', () => {
    const y = ops.relu(ops.add(x, b));
    expect(tags(ops.defaultSchedule([y], 'webgpu').stage(y))).toEqual(['blockIdx.x', 'threadIdx.x']);
    const long = te.placeholder([3, 300], 'float32', 'long');
    const r = ops.mean(long, [1]);
    const s = ops.defaultSchedule([r], 'webgpu');
    const rf = s.stages.find((st) => st.name.endsWith('.rf') || st.name.includes('rf'));
    expect(rf, s.stages.map((st) => st.name).join(', ')).toBeDefined();
    expect(tags(rf!)).toEqual(['threadIdx.x']);
    expect(rf!.attach.type).toBe('scope');
  });

  it('hands anchors to scheduleAnchor with their epilogue', () => {
    const X = te.placeholder([5, 6], 'float32', 'X');
    const W = te.placeholder([7, 6], 'float32', 'W');
    const d = ops.dense(X, W);
    const y = ops.relu(ops.add(d, te.placeholder([7], 'float32', 'bias')));
    for (const target of ['wasm', 'webgpu']) {
      const s = ops.defaultSchedule([y], target);
      expect(s.stage(d).steps.length, target).toBeGreaterThan(0);
      expect(s.stage(y).steps.length + (s.stage(y).attach.type === 'root' ? 0 : 1), target).toBeGreaterThan(0);
    }
  });

  it('webgpu: a 0-D reduction gets a singleton axis (one thread), a long one first an rfactor over 64 threads', () => {
    const short = ops.max(x);
    const s1 = ops.defaultSchedule([short], 'webgpu');
    expect(s1.stages.filter((st) => st.op.kind === 'compute').map((st) => st.name)).toEqual([short.name]);
    expect(tags(s1.stage(short))).toEqual(['blockIdx.x', 'threadIdx.x']);
    const long = te.placeholder([3, 200], 'float32', 'long');
    const r = ops.sum(long);
    const s2 = ops.defaultSchedule([r], 'webgpu');
    const rf = s2.stages.find((st) => st.name.includes('rf'));
    expect(rf, s2.stages.map((st) => st.name).join(', ')).toBeDefined();
    expect(rf!.op.kind === 'compute' && rf!.op.shape).toEqual([64]);
    expect(rf!.attach.type).toBe('root');
    expect(tags(rf!)).toEqual(['blockIdx.x', 'threadIdx.x']);
    expect(tags(s2.stage(r))).toEqual(['blockIdx.x', 'threadIdx.x']);
  });

  it('refuses bad outputs and unknown targets with named errors', () => {
    expect(() => ops.defaultSchedule([], 'wasm')).toThrow(/defaultSchedule: needs a non-empty array/);
    expect(() => ops.defaultSchedule([x], 'wasm')).toThrow(/defaultSchedule: output 0 \(x\) is a placeholder/);
    expect(() => ops.defaultSchedule([ops.relu(x)], 'cuda')).toThrow(/unknown kind 'cuda'/);
  });
});

describe('wasm reductions over the contiguous axis (rfactor into f32x4 partial sums)', () => {
  it('global average pooling: the last reduce axis split by 8 (or 4), rfactor\'d into a local stage of two (one) vectorized accumulators', () => {
    const wide = ops.globalAvgPool2d(te.placeholder([1, 5, 2, 96], 'float32', 'wide'));
    const s = ops.defaultSchedule([wide], 'wasm -threads=1');
    const rf = s.stages.find((st) => st.name.endsWith('_rf'));
    expect(rf, s.stages.map((st) => st.name).join(', ')).toBeDefined();
    expect(rf!.scope).toBe('local');
    expect(rf!.attach.type).toBe('scope');
    expect(kinds(rf!).slice(-2)).toEqual(['unrolled', 'vectorized']);
    expect(rf!.op.kind === 'compute' && rf!.op.shape[0]).toBe(8);
    const narrow = ops.sum(te.placeholder([3, 12], 'float32', 'narrow'), [1]);
    const rf4 = ops.defaultSchedule([narrow], 'wasm').stages.find((st) => st.name.endsWith('_rf'));
    expect(rf4!.op.kind === 'compute' && rf4!.op.shape[0]).toBe(4);
    expect(kinds(rf4!).slice(-1)).toEqual(['vectorized']);
    // Too short (one vector) or not a multiple of 4: the plain scalar loop, no rfactor.
    for (const dims of [[3, 4], [3, 10]]) {
      const r = ops.sum(te.placeholder(dims, 'float32', 'r'), [1]);
      expect(ops.defaultSchedule([r], 'wasm').stages.map((st) => st.name)).not.toContain('T_sum_rf');
    }
  });

  it('rows of ≥ 16 that 4 does not divide: injective split by 4 and vectorized, reductions rfactor\'d into 8 lanes (a broadcast read allowed)', () => {
    const x21 = te.placeholder([3, 21], 'float32', 'x21');
    const e = ops.exp(x21);
    expect(kinds(ops.defaultSchedule([e], 'wasm').stage(e)).slice(-1)).toEqual(['vectorized']);
    const r = ops.sum(x21, [1]);
    const rf = ops.defaultSchedule([r], 'wasm').stages.find((st) => st.name.endsWith('_rf'));
    expect(rf!.op.kind === 'compute' && rf!.op.shape[0]).toBe(8);
    // Σ exp(x − m[i]): m[i] does not move with the reduce axis, so the sum still vectorizes.
    const m = te.placeholder([3], 'float32', 'm');
    const k = te.reduceAxis(21, 'k');
    const se = te.compute([3], (i) => te.sum(te.exp(x21.at(i, k).sub(m.at(i))), [k]), 'se', { tag: 'comm_reduce' });
    expect(ops.defaultSchedule([se], 'wasm').stages.map((st) => st.name)).toContain('se_rf');
    // A row read with a stride along the reduce axis is not contiguous: no rfactor.
    const xt = te.placeholder([21, 3], 'float32', 'xt');
    const k2 = te.reduceAxis(21, 'k');
    const st = te.compute([3], (i) => te.sum(xt.at(k2, i).mul(m.at(i)), [k2]), 'st', { tag: 'comm_reduce' });
    expect(ops.defaultSchedule([st], 'wasm').stages.map((x) => x.name)).not.toContain('st_rf');
    // Shorter than 16 and not a multiple of 4: scalar.
    const e10 = ops.exp(te.placeholder([3, 10], 'float32', 'x10'));
    expect(kinds(ops.defaultSchedule([e10], 'wasm').stage(e10))).not.toContain('vectorized');
  });

  it.each(['wasm', 'wasm -simd=0', 'wasm -threads=2'])('sum, max, exp over rows of 21, 37 and 18 (vector body, scalar tail) against tfjs on %s', async (target) => {
    const a = input([3, 21], 71, 'a');
    const b = input([2, 37], 72, 'b');
    const c = input([5, 18], 73, 'c');
    const inputs = [a, b, c];
    await checkCases(target, inputs, [
      { name: 'sum [3,21] axis 1', out: ops.sum(a.t, [1]), want: tfRef(inputs, (A) => tf.sum(A!, 1)), tol: 1e-5 },
      { name: 'max [2,37] axis 1', out: ops.max(b.t, [1]), want: tfRef(inputs, (_A, B) => tf.max(B!, 1)) },
      { name: 'mean [5,18] axis 1', out: ops.mean(c.t, [1]), want: tfRef(inputs, (_A, _B, C) => tf.mean(C!, 1)), tol: 1e-5 },
      { name: 'exp [2,37]', out: ops.exp(b.t), want: tfRef(inputs, (_A, B) => tf.exp(B!)), tol: 1e-5 },
      { name: 'add [3,21] + 1', out: ops.add(a.t, 1), want: tfRef(inputs, (A) => tf.add(A!, 1)) },
    ]);
  });

  it.each(['wasm', 'wasm -simd=0', 'wasm -threads=2'])('sum, mean, max, global avg/max pool over rows of 8, 12, 96, 4 and 10 against tfjs on %s', async (target) => {
    const a = input([2, 3, 2, 96], 61, 'a');
    const b = input([5, 12], 62, 'b');
    const c = input([3, 3, 8], 63, 'c');
    const d = input([4, 10], 64, 'd');
    const inputs = [a, b, c, d];
    await checkCases(target, inputs, [
      { name: 'globalAvgPool2d [2,3,2,96]', out: ops.globalAvgPool2d(a.t), want: tfRef(inputs, (A) => tf.mean(A!, [2, 3], true)), tol: 1e-5 },
      { name: 'globalMaxPool2d [2,3,2,96]', out: ops.globalMaxPool2d(a.t), want: tfRef(inputs, (A) => tf.max(A!, [2, 3], true)) },
      { name: 'sum [5,12] axis 1', out: ops.sum(b.t, [1]), want: tfRef(inputs, (_A, B) => tf.sum(B!, 1)), tol: 1e-5 },
      { name: 'mean [3,3,8] axis 2 keepdims', out: ops.mean(c.t, [2], true), want: tfRef(inputs, (_A, _B, C) => tf.mean(C!, 2, true)), tol: 1e-5 },
      { name: 'max [3,3,8] axes 1,2', out: ops.max(c.t, [1, 2]), want: tfRef(inputs, (_A, _B, C) => tf.max(C!, [1, 2])) },
      { name: 'sum [4,10] axis 1 (scalar loop)', out: ops.sum(d.t, [1]), want: tfRef(inputs, (_A, _B, _C, D) => tf.sum(D!, 1)), tol: 1e-5 },
    ]);
  });
});

describe('a chain of library ops with defaultSchedule', () => {
  it.each(ALL_TARGETS)('pad → avgPool → batchNorm → relu → globalAvgPool → flatten → dense + bias → exp-normalized head on %s', async (target) => {
    const x = input([2, 3, 6, 6], 1, 'x');
    const g = input([3], 2, 'g');
    const v = input([3], 3, 'v', 0.5, 2);
    const W = input([5, 3], 4, 'W');
    const bias = input([5], 5, 'bias');
    const inputs = [x, g, v, W, bias];
    const p = ops.pad(x.t, [0, 0, 1, 1], [0, 0, 1, 1], { mode: 'reflect' });
    const pooled = ops.avgPool2d(p, { kernel: [3, 3], strides: [2, 2] });
    const bn = ops.relu(ops.batchNorm(pooled, g.t, g.t, g.t, v.t));
    const feat = ops.flatten(ops.globalAvgPool2d(bn));
    const logits = ops.add(ops.dense(feat, W.t), bias.t);
    const head = ops.div(logits, ops.sum(ops.exp(logits), [1], true));
    const want = tfRef(inputs, (X, G, V, Wt, B) => {
      const ch = (t: tf.Tensor): tf.Tensor => tf.reshape(t, [3, 1, 1]);
      const padded = tf.mirrorPad(X!, [[0, 0], [0, 0], [1, 1], [1, 1]], 'reflect');
      const pool = tf.transpose(tf.avgPool(tf.transpose(padded, [0, 2, 3, 1]) as tf.Tensor4D, [3, 3], [2, 2], 'valid'), [0, 3, 1, 2]);
      const norm = tf.relu(tf.add(tf.mul(tf.div(tf.sub(pool, ch(G!)), tf.sqrt(tf.add(ch(V!), 1e-5))), ch(G!)), ch(G!)));
      const f = tf.reshape(tf.mean(norm, [2, 3]), [2, 3]);
      const l = tf.add(tf.matMul(f, Wt!, false, true), B!);
      return tf.div(l, tf.sum(tf.exp(l), 1, true));
    });
    await checkCases(target, inputs, [{ name: 'chain head', out: head, want, shape: [2, 5], tol: 1e-4 }]);
  });
});

describe('wasm injective rows (a row loop of its own, trailing unit axes outside)', () => {
  it.each(['wasm', 'wasm -simd=0', 'wasm -threads=2'])('relu(x + b) and a transpose over row lengths 1, 4, 8, 9, 12 and a trailing 1 on %s', async (target) => {
    const shapes = [[3, 12, 1], [2, 5, 9], [2, 3, 8], [5, 4], [7, 1, 1], [6, 9, 1]];
    const xs = shapes.map((s, i) => input(s, 40 + i, `x${i}`));
    const b = input([1], 50, 'b');
    const cases = [
      ...xs.map((x) => ({ name: `relu(x + b) ${x.t.dims.join('x')}`, out: ops.relu(ops.add(x.t, b.t)), want: Float32Array.from(x.data, (v) => Math.max(v + b.data[0]!, 0)) })),
      // A transpose reads strided along the output row: plain JS index map out[k, i, j] = x[i, j, k].
      { name: 'transpose [2,5,9] → [9,2,5]', out: ops.transpose(xs[1]!.t, [2, 0, 1]),
        want: Float32Array.from({ length: 90 }, (_, o) => { const k = Math.floor(o / 10); const i = Math.floor(o / 5) % 2; const j = o % 5; return xs[1]!.data[(i * 5 + j) * 9 + k]!; }) },
    ];
    await checkCases(target, [...xs, b], cases);
  });
});
