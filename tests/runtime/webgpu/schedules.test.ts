// tests/runtime/webgpu/schedules.test.ts — real GPU schedules (te: bind, cacheRead 'shared',
// cacheWrite 'local', computeAt, vectorize, rfactor, computeInline) lowered with te.lower, built
// for WebGPU and run on the adapter at hand; every result must match an independent reference
// (TensorFlow.js CPU for matmul and conv2d, plain JS for the rest) on the same seeded inputs.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as te from '../../../schedule/index.js';
import type { PrimFunc } from '../../../tir/nodes.js';
import { maxRelDiff, rowSumRef } from '../../reference/plain_js.js';
import { conv2d, cpuBackend, data, matmul } from '../../schedule/helpers.js';
import { hostArray } from './helpers.js';

beforeAll(cpuBackend);
afterAll(releaseWebGPU);

/**
 * Runs the lowered function on the GPU on inputs `data(size, i + 1)` (the inputs the schedule
 * helpers' TensorFlow.js references use); returns the largest relative difference from `want`.
 */
async function compare(f: PrimFunc, shapes: readonly (readonly number[])[], want: Float32Array): Promise<number> {
  const args = shapes.map((s, i) => {
    const a = hostArray(s, 'float32');
    if (i < shapes.length - 1) a.data.set(data(a.size, i + 1));
    return a;
  });
  const mod = await buildWebGPU(f, 'webgpu');
  await mod.run(...args);
  mod.dispose();
  // A reference that is all zeros would match a kernel that never ran: make sure it is not.
  expect(want.some((v) => v !== 0)).toBe(true);
  return maxRelDiff(args[args.length - 1]!.data, want);
}

/** Shared tiles of both inputs at the outer reduction step, fetched cooperatively by all threads. */
function cooperativeFetch(s: te.Schedule, t: te.Tensor, at: te.Stage, axis: Parameters<te.Stage['computeAt']>[1], tx: number, ty: number): void {
  const st = s.stage(t);
  st.computeAt(at, axis);
  const fused = st.fuse(...st.axis);
  const [outer, inner] = st.split(fused, { factor: tx });
  const [, mid] = st.split(outer, { factor: ty });
  st.bind(inner, 'threadIdx.x');
  st.bind(mid, 'threadIdx.y');
}

function matmulSchedule(M: number, N: number, K: number): PrimFunc {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const k = te.reduceAxis(K, 'k');
  const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  const s = te.createSchedule([C]);
  const AA = s.cacheRead(A, 'shared', [C]);
  const BB = s.cacheRead(B, 'shared', [C]);
  const CL = s.cacheWrite(C, 'local');
  const c = s.stage(C);
  // Block tile 8×16, 8×4 threads, 4 adjacent columns per thread (vectorized).
  const [by, bx, yi, xi] = c.tile(c.axis[0]!, c.axis[1]!, 8, 16);
  const [tx, xv] = c.split(xi, { factor: 4 });
  c.reorder(by, bx, yi, tx, xv);
  c.bind(by, 'blockIdx.y'); c.bind(bx, 'blockIdx.x'); c.bind(yi, 'threadIdx.y'); c.bind(tx, 'threadIdx.x');
  c.vectorize(xv);
  const cl = s.stage(CL);
  cl.computeAt(c, tx);
  const [ko, ki] = cl.split(cl.reduceAxis[0]!, { factor: 8 });
  cl.reorder(ko, ki, cl.axis[0]!, cl.axis[1]!);
  cl.vectorize(cl.axis[1]!);
  cooperativeFetch(s, AA, cl, ko, 4, 8);
  cooperativeFetch(s, BB, cl, ko, 4, 8);
  return te.lower(s, [A, B, C], { name: 'matmul_gpu' });
}

function conv2dSchedule(N: number, C: number, H: number, W: number, K: number, R: number, p: number): { f: PrimFunc; shapes: number[][]; want: Float32Array } {
  // The same padded conv2d the CPU schedule tests use, with its TensorFlow.js reference.
  const { pad, args, out, reference } = conv2d(N, C, H, W, K, R, p);
  const [X, Wt] = args as [te.Tensor, te.Tensor, te.Tensor];
  const OH = H + 2 * p - R + 1, OW = W + 2 * p - R + 1;
  const s = te.createSchedule([out]);
  s.stage(pad).computeInline();
  const PP = s.cacheRead(pad, 'shared', [out]);
  const WW = s.cacheRead(Wt, 'shared', [out]);
  const OL = s.cacheWrite(out, 'local');
  const o = s.stage(out);
  const [n, k, y, x] = o.axis as [te.Stage['axis'][0], te.Stage['axis'][0], te.Stage['axis'][0], te.Stage['axis'][0]];
  // Block: 4 rows × 8 columns of one (n, k) output plane; 4×4 threads, 2 adjacent columns each (vec2).
  const [yo, xo, yi, xi] = o.tile(y, x, 4, 8);
  const [tx, xv] = o.split(xi, { factor: 2 });
  const nk = o.fuse(n, k);
  o.reorder(nk, yo, xo, yi, tx, xv);
  o.bind(nk, 'blockIdx.z'); o.bind(yo, 'blockIdx.y'); o.bind(xo, 'blockIdx.x');
  o.bind(yi, 'threadIdx.y'); o.bind(tx, 'threadIdx.x');
  o.vectorize(xv);
  const ol = s.stage(OL);
  ol.computeAt(o, tx);
  const [rco, rci] = ol.split(ol.reduceAxis[0]!, { factor: 2 });
  const olx = ol.axis[3]!;
  ol.reorder(rco, rci, ol.reduceAxis[1]!, ol.reduceAxis[2]!, olx);
  ol.vectorize(olx);
  cooperativeFetch(s, PP, ol, rco, 4, 4);
  cooperativeFetch(s, WW, ol, rco, 4, 4);
  return { f: te.lower(s, [X, Wt, out], { name: 'conv2d_gpu' }), shapes: [[N, C, H, W], [K, C, R, R], [N, K, OH, OW]], want: reference() };
}

describe('GPU schedules on WebGPU', () => {
  it.each([[32, 32, 32], [37, 45, 29]])('matmul %i×%i×%i: block/thread tiles, shared A and B, local accumulator, vectorized', async (M, N, K) => {
    expect(await compare(matmulSchedule(M, N, K), [[M, K], [K, N], [M, N]], matmul(M, N, K).reference())).toBeLessThan(1e-4);
  });

  it.each([[1, 4, 8, 8, 4, 3, 1], [2, 3, 7, 6, 5, 3, 1]])('conv2d NCHW N=%i C=%i H=%i W=%i, K=%i filters R=%i pad %i: the same pattern, vec2 columns', async (N, C, H, W, K, R, p) => {
    const { f, shapes, want } = conv2dSchedule(N, C, H, W, K, R, p);
    expect(await compare(f, shapes, want)).toBeLessThan(1e-4);
  });

  it.each([[8, 64], [5, 37]])('row sum %i×%i: rfactor partial sums across 16 threads, combined per block', async (M, K) => {
    const A = te.placeholder([M, K], 'float32', 'A');
    const k = te.reduceAxis(K, 'k');
    const out = te.compute([M], (i) => te.sum(A.at(i, k), [k]), 'rowsum');
    const s = te.createSchedule([out]);
    const c = s.stage(out);
    const [, ki] = c.split(c.reduceAxis[0]!, { factor: 16 });
    const rf = s.rfactor(out, ki);
    c.bind(c.axis[0]!, 'blockIdx.x');
    const r = s.stage(rf);
    r.computeAt(c, c.axis[0]!);
    r.bind(r.axis[0]!, 'threadIdx.x');
    expect(await compare(te.lower(s, [A, out], { name: 'rowsum_rf' }), [[M, K], [M]], rowSumRef(data(M * K, 1), M, K))).toBeLessThan(1e-4);
  });

  it.each([[1000, false], [1000, true], [256, false]])('elementwise chain of %i (inlined: %s)', async (n, inline) => {
    const A = te.placeholder([n], 'float32', 'A');
    const B = te.compute([n], (i) => te.exp(A.at(i)).mul(2), 'B');
    const C = te.compute([n], (i) => te.tanh(B.at(i)).add(A.at(i)), 'C');
    const D = te.compute([n], (i) => te.sigmoid(C.at(i)).sub(te.erf(A.at(i))), 'D');
    const s = te.createSchedule([D]);
    for (const t of inline ? [D] : [B, C, D]) {
      const st = s.stage(t);
      const [bx, tx] = st.split(st.axis[0]!, { factor: 64 });
      st.bind(bx, 'blockIdx.x');
      st.bind(tx, 'threadIdx.x');
    }
    if (inline) {
      s.stage(B).computeInline();
      s.stage(C).computeInline();
    }
    const a = tf.tensor1d(data(n, 1));
    const want = tf.sub(tf.sigmoid(tf.add(tf.tanh(tf.mul(tf.exp(a), 2)), a)), tf.erf(a)).dataSync() as Float32Array;
    expect(await compare(te.lower(s, [A, D], { name: 'chain' }), [[n], [n]], want)).toBeLessThan(1e-5);
  });
});
