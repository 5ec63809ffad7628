// tests/schedule/helpers.ts — the workloads the schedule tests use (matmul, padded conv2d NCHW,
// a reduction, matmul → bias+relu), deterministic data, running through te.lower + interpret,
// and TensorFlow.js (CPU) references.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expect } from 'vitest';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';
import { StmtExprVisitor } from '../../tir/functor.js';
import type { Buffer, PrimFunc, Stmt } from '../../tir/nodes.js';

export async function cpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function data(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = (x / 4294967296) * 2 - 1;
  }
  return out;
}

const size = (t: te.Tensor): number => t.dims.reduce((a, b) => a * b, 1);

/** Lowers `s` with `args` (inputs first, output last) and interprets it on seeded inputs. */
export function run(s: te.Schedule, args: readonly te.Tensor[], name = 'f'): Float32Array {
  const f = te.lower(s, args, { name });
  return runFunc(f, args);
}

export function runFunc(f: PrimFunc, args: readonly te.Tensor[]): Float32Array {
  const bufs = args.map((t, i) => (i < args.length - 1 ? data(size(t), i + 1) : new Float32Array(size(t))));
  // Schedule tests check what the loops compute, run one thread after another; whether a GPU
  // schedule's shared stages are race-free needs barriers (codegen.wgsl.insertBarriers) and is
  // checked in tests/codegen/wgsl/barrier_property.test.ts.
  interpret(f, bufs, { checkRaces: false });
  return bufs[bufs.length - 1]!;
}

export function expectClose(actual: Float32Array, expected: Float32Array | number[], tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    const d = Math.abs(actual[i]! - e) / Math.max(1, Math.abs(e));
    if (!(d <= worst)) { worst = d; at = i; }
  }
  if (!(worst <= tol)) throw new Error(`mismatch at ${at}: got ${actual[at]}, expected ${expected[at]} (rel err ${worst})`);
}

export interface Workload {
  readonly args: te.Tensor[];
  readonly out: te.Tensor;
  /** TensorFlow.js result on the same seeded inputs. */
  reference(): Float32Array;
}

export function matmul(M: number, N: number, K: number): Workload & { A: te.Tensor; B: te.Tensor } {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const k = te.reduceAxis(K, 'k');
  const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  return {
    A, B, args: [A, B, C], out: C,
    reference: () => tf.matMul(tf.tensor2d(data(M * K, 1), [M, K]), tf.tensor2d(data(K * N, 2), [K, N])).dataSync() as Float32Array,
  };
}

/** conv2d NCHW, OIHW weights, stride 1, pad p, through an explicit pad stage. */
export function conv2d(N: number, C: number, H: number, W: number, K: number, R: number, p: number): Workload & { pad: te.Tensor } {
  const X = te.placeholder([N, C, H, W], 'float32', 'X');
  const Wt = te.placeholder([K, C, R, R], 'float32', 'W');
  const Hp = H + 2 * p, Wp = W + 2 * p, OH = Hp - R + 1, OW = Wp - R + 1;
  // Clamped indices keep the (eagerly evaluated) read in bounds; the select picks 0 outside.
  const pad = te.compute([N, C, Hp, Wp], (n, c, y, x) => {
    const inside = te.all(y.ge(p), y.lt(H + p), x.ge(p), x.lt(W + p));
    const yy = te.minimum(te.maximum(y.sub(p), 0), H - 1);
    const xx = te.minimum(te.maximum(x.sub(p), 0), W - 1);
    return te.select(inside, X.at(n, c, yy, xx), 0);
  }, 'pad');
  const rc = te.reduceAxis(C, 'rc');
  const ry = te.reduceAxis(R, 'ry');
  const rx = te.reduceAxis(R, 'rx');
  const out = te.compute([N, K, OH, OW],
    (n, k, y, x) => te.sum(pad.at(n, rc, y.add(ry), x.add(rx)).mul(Wt.at(k, rc, ry, rx)), [rc, ry, rx]), 'conv');
  return {
    pad, args: [X, Wt, out], out,
    reference: () => {
      const x = tf.transpose(tf.tensor4d(data(N * C * H * W, 1), [N, C, H, W]), [0, 2, 3, 1]);
      const w = tf.transpose(tf.tensor4d(data(K * C * R * R, 2), [K, C, R, R]), [2, 3, 1, 0]);
      const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, [[0, 0], [p, p], [p, p], [0, 0]]);
      return tf.transpose(y, [0, 3, 1, 2]).dataSync() as Float32Array;
    },
  };
}

/** Row-wise max of a matrix (a reduction that is not a sum). */
export function rowMax(M: number, K: number): Workload {
  const A = te.placeholder([M, K], 'float32', 'A');
  const k = te.reduceAxis(K, 'k');
  const out = te.compute([M], (i) => te.max(A.at(i, k), [k]), 'rowmax');
  return { args: [A, out], out, reference: () => tf.max(tf.tensor2d(data(M * K, 1), [M, K]), 1).dataSync() as Float32Array };
}

/** relu(A·B + bias): a two-stage pipeline. */
export function denseBiasRelu(M: number, N: number, K: number): Workload & { mm: te.Tensor } {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const bias = te.placeholder([N], 'float32', 'bias');
  const k = te.reduceAxis(K, 'k');
  const mm = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'mm');
  const out = te.compute([M, N], (i, j) => te.max(mm.at(i, j).add(bias.at(j)), 0), 'relu');
  return {
    mm, args: [A, B, bias, out], out,
    reference: () => tf.relu(tf.add(tf.matMul(tf.tensor2d(data(M * K, 1), [M, K]), tf.tensor2d(data(K * N, 2), [K, N])), tf.tensor1d(data(N, 3)))).dataSync() as Float32Array,
  };
}

/** Every buffer allocated in `s`, in visiting order. */
export function allocations(s: Stmt): Buffer[] {
  const out: Buffer[] = [];
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'Allocate') out.push(st.buffer);
      super.visitStmt(st);
    }
  }
  new V().visitStmt(s);
  return out;
}

/** Element counts of the buffers `f` allocates, by name (NaN for a symbolic extent). */
export function allocSizes(f: PrimFunc): Record<string, number> {
  return Object.fromEntries(allocations(f.body).map((b) => [b.name, b.shape.reduce((a, d) => a * (d.kind === 'IntImm' ? d.value : NaN), 1)]));
}
