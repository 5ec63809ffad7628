// tests/ops/ops_harness.ts — builds many library ops as outputs of ONE defaultSchedule (one build per
// target, to keep the suite fast), runs them on wasm / WebGPU and compares every output with its
// independent reference (TensorFlow.js CPU or plain JS), naming the failing case.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expect } from 'vitest';
import { defaultSchedule } from '../../ops/default_schedule.js';
import { TAG } from '../../ops/tags.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import * as te from '../../schedule/index.js';

export const WASM_TARGETS = ['wasm', 'wasm -threads=2'] as const;
export const ALL_TARGETS = [...WASM_TARGETS, 'webgpu'] as const;

export type Data = Float32Array | Int32Array;

export async function cpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
}

/** Deterministic pseudo-random floats in [lo, hi). */
export function seeded(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 0x1000000) * (hi - lo);
  }
  return out;
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** An input: a placeholder and its data. */
export interface Input { readonly t: te.Tensor; readonly data: Data }

export function input(shape: readonly number[], seed: number, name = `x${seed}`, lo = -2, hi = 2): Input {
  return { t: te.placeholder(shape, 'float32', name), data: seeded(size(shape), seed, lo, hi) };
}

export function intInput(shape: readonly number[], values: readonly number[], name: string): Input {
  return { t: te.placeholder(shape, 'int32', name), data: Int32Array.from(values) };
}

/** One checked output: the op's tensor, the expected values and the shape they must have. */
export interface Case {
  readonly name: string;
  readonly out: te.Tensor;
  readonly want: Data | number[];
  readonly shape?: readonly number[];
  readonly tol?: number;
}

/** tfjs result of `fn` on the inputs' data (shapes as the placeholders'). */
export function tfRef(inputs: readonly Input[], fn: (...xs: tf.Tensor[]) => tf.Tensor): Float32Array | Int32Array {
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, [...i.t.dims], i.t.dtype === 'int32' ? 'int32' : 'float32'));
    return fn(...xs).dataSync() as Float32Array | Int32Array;
  });
}

/** Element i differs: NaN where exactly one side is NaN; relative+absolute tolerance otherwise. */
function firstMismatch(got: Data, want: ArrayLike<number>, tol: number): number {
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) || Number.isNaN(g)) { if (Number.isNaN(w) !== Number.isNaN(g)) return i; continue; }
    if (g === w) continue;
    if (!(Math.abs(g - w) <= tol * (1 + Math.abs(w)))) return i;
  }
  return -1;
}

/**
 * Builds all cases' outputs in one defaultSchedule for `target`, runs once and checks each output
 * (shape and values). Outputs start as NaN so an element never written fails.
 */
export async function checkCases(target: string, inputs: readonly Input[], cases: readonly Case[]): Promise<void> {
  if (!target.startsWith('webgpu')) return checkBatch(target, inputs, cases);
  // WebGPU binds every parameter and root intermediate (reductions) of a function to each kernel:
  // at most 16 storage buffers per shader stage, so the cases go in batches that fit.
  let batch: Case[] = [];
  for (const c of cases) {
    if (batch.length > 0 && storageBuffers(inputs, [...batch, c]) > 16) {
      await checkBatch(target, inputs, batch);
      batch = [];
    }
    batch.push(c);
  }
  if (batch.length > 0) await checkBatch(target, inputs, batch);
}

function storageBuffers(inputs: readonly Input[], cases: readonly Case[]): number {
  const outs = new Set(cases.map((c) => c.out.op));
  const scratch = te.postOrderOps(cases.map((c) => c.out)).filter((op) => op.kind === 'compute' && (op.reduceAxis.length > 0 || op.tag === TAG.softmaxExp) && !outs.has(op));
  return inputs.length + outs.size + scratch.length;
}

async function checkBatch(target: string, inputs: readonly Input[], cases: readonly Case[]): Promise<void> {
  const outs = cases.map((c) => c.out);
  const s = defaultSchedule(outs, target);
  const f = te.lower(s, [...inputs.map((i) => i.t), ...outs], { name: 'ops_test' });
  const mod = await build(f, target);
  const ins = inputs.map((i) => array(i.data, [...i.t.dims], i.t.dtype));
  const res = outs.map((o) => array(o.dtype === 'int32' ? new Int32Array(size(o.dims)).fill(-7777) : new Float32Array(size(o.dims)).fill(Number.NaN), [...o.dims], o.dtype));
  try {
    await mod.run(...ins, ...res);
    cases.forEach((c, k) => {
      if (c.shape) expect([...c.out.dims], `${c.name}: shape`).toEqual([...c.shape]);
      const got = res[k]!.toArray();
      expect(got.length, `${c.name}: element count`).toBe(c.want.length);
      const i = firstMismatch(got, c.want, c.tol ?? 1e-5);
      expect(i, `${c.name} on ${target}: element ${i} is ${got[i]}, expected ${c.want[i]}`).toBe(-1);
    });
  } finally {
    mod.dispose();
    for (const a of [...ins, ...res]) a.free();
  }
}

/** Expects `fn` to throw an error whose message starts with `op:` and contains `fragment`. */
export function expectOpError(fn: () => unknown, op: string, fragment: string | RegExp): void {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  expect(err, `${op}: expected an error`).toBeInstanceOf(Error);
  const msg = (err as Error).message;
  expect(msg.startsWith(`${op}:`), `message should start with '${op}:', got '${msg}'`).toBe(true);
  if (typeof fragment === 'string') expect(msg).toContain(fragment);
  else expect(msg).toMatch(fragment);
}

/** Plain-JS reference for index-mapping ops: out[o] = data[src(o)] (or `fill` where src gives undefined). */
export function mapIndices(inShape: readonly number[], data: ArrayLike<number>, outShape: readonly number[],
  src: (o: number[]) => number[] | undefined, fill = 0): Float32Array {
  const n = size(outShape);
  const out = new Float32Array(n);
  const st = inShape.map((_, d) => size(inShape.slice(d + 1)));
  for (let lin = 0; lin < n; lin++) {
    const o: number[] = [];
    let r = lin;
    for (let d = outShape.length - 1; d >= 0; d--) { o[d] = r % outShape[d]!; r = Math.floor(r / outShape[d]!); }
    const i = src(o);
    out[lin] = i === undefined ? fill : data[i.reduce((acc, v, d) => acc + v * st[d]!, 0)]!;
  }
  return out;
}
