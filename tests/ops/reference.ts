// tests/ops/reference.ts — independent references for the anchor-op tests: plain-JS convolutions written
// in scatter form (each input pixel adds into the outputs it touches, unlike the gather form of ops/),
// tfjs-core CPU convolutions and matMul, seeded data, and a template-config runner.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { MeasureErrorNo } from '../../autotune/measure/measure_types.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, type Task } from '../../autotune/task.js';
import { load } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';

await tf.setBackend('cpu');

export function seeded(n: number, seed: number): Float32Array {
  let x = (seed * 2654435761) >>> 0;
  return Float32Array.from({ length: n }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 31 - 1;
  });
}

export interface ConvCase {
  readonly N: number; readonly C: number; readonly H: number; readonly W: number;
  readonly O: number; readonly KH: number; readonly KW: number;
  readonly strides: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

/** Output size of a convolution (ONNX Conv). */
export function convOut(c: ConvCase): [number, number] {
  return [
    Math.floor((c.H + c.padding[0] + c.padding[2] - c.dilation[0] * (c.KH - 1) - 1) / c.strides[0]) + 1,
    Math.floor((c.W + c.padding[1] + c.padding[3] - c.dilation[1] * (c.KW - 1) - 1) / c.strides[1]) + 1,
  ];
}

/** conv2d NCHW/OIHW in scatter form: every (input pixel, kernel tap) adds into the output it reaches. */
export function jsConv2d(x: Float32Array, w: Float32Array, c: ConvCase): Float32Array {
  const [OH, OW] = convOut(c);
  const y = new Float32Array(c.N * c.O * OH * OW);
  const Cg = c.C / c.groups;
  const Og = c.O / c.groups;
  for (let n = 0; n < c.N; n++) for (let ci = 0; ci < c.C; ci++) for (let ih = 0; ih < c.H; ih++) for (let iw = 0; iw < c.W; iw++) {
    const v = x[((n * c.C + ci) * c.H + ih) * c.W + iw]!;
    const g = Math.floor(ci / Cg);
    for (let ky = 0; ky < c.KH; ky++) {
      const t = ih + c.padding[0] - ky * c.dilation[0];
      if (t < 0 || t % c.strides[0] !== 0) continue;
      const oh = t / c.strides[0];
      if (oh >= OH) continue;
      for (let kx = 0; kx < c.KW; kx++) {
        const u = iw + c.padding[1] - kx * c.dilation[1];
        if (u < 0 || u % c.strides[1] !== 0) continue;
        const ow = u / c.strides[1];
        if (ow >= OW) continue;
        for (let o = g * Og; o < (g + 1) * Og; o++) {
          y[((n * c.O + o) * OH + oh) * OW + ow]! += v * w[((o * Cg + (ci - g * Cg)) * c.KH + ky) * c.KW + kx]!;
        }
      }
    }
  }
  return y;
}

/** conv2d through tfjs-core's CPU backend (groups 1 or depthwise; NHWC inside). */
export function tfConv2d(x: Float32Array, w: Float32Array, c: ConvCase): Float32Array {
  return tf.tidy(() => {
    const X = tf.transpose(tf.tensor4d(x, [c.N, c.C, c.H, c.W]), [0, 2, 3, 1]);
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [c.padding[0], c.padding[2]], [c.padding[1], c.padding[3]], [0, 0]];
    let Y: tf.Tensor4D;
    if (c.groups === 1) {
      const Wt = tf.transpose(tf.tensor4d(w, [c.O, c.C, c.KH, c.KW]), [2, 3, 1, 0]); // HWIO
      Y = tf.conv2d(X as tf.Tensor4D, Wt, c.strides as [number, number], pad, 'NHWC', c.dilation as [number, number]);
    } else if (c.groups === c.C) {
      const m = c.O / c.C;
      const Wt = tf.transpose(tf.tensor4d(w, [c.C, m, c.KH, c.KW]), [2, 3, 0, 1]); // H W C m
      Y = tf.depthwiseConv2d(X as tf.Tensor4D, Wt, c.strides as [number, number], pad, 'NHWC', c.dilation as [number, number]);
    } else {
      throw new Error('tfConv2d: grouped convolution is checked against jsConv2d');
    }
    return tf.transpose(Y, [0, 3, 1, 2]).dataSync() as Float32Array;
  });
}

export interface ConvTCase {
  readonly N: number; readonly C: number; readonly H: number; readonly W: number;
  readonly O: number; readonly KH: number; readonly KW: number;
  readonly strides: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  readonly outputPadding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

export function convTOut(c: ConvTCase): [number, number] {
  return [
    c.strides[0] * (c.H - 1) + c.outputPadding[0] + c.dilation[0] * (c.KH - 1) + 1 - c.padding[0] - c.padding[2],
    c.strides[1] * (c.W - 1) + c.outputPadding[1] + c.dilation[1] * (c.KW - 1) + 1 - c.padding[1] - c.padding[3],
  ];
}

/** ConvTranspose by its ONNX definition: input pixel (h, w) scatters W[c, o] into out[h·s + k·d − pad]. */
export function jsConv2dTranspose(x: Float32Array, w: Float32Array, c: ConvTCase): Float32Array {
  const [OH, OW] = convTOut(c);
  const y = new Float32Array(c.N * c.O * OH * OW);
  const Cg = c.C / c.groups;
  const Og = c.O / c.groups;
  for (let n = 0; n < c.N; n++) for (let ci = 0; ci < c.C; ci++) for (let ih = 0; ih < c.H; ih++) for (let iw = 0; iw < c.W; iw++) {
    const v = x[((n * c.C + ci) * c.H + ih) * c.W + iw]!;
    const g = Math.floor(ci / Cg);
    for (let oc = 0; oc < Og; oc++) for (let ky = 0; ky < c.KH; ky++) for (let kx = 0; kx < c.KW; kx++) {
      const oh = ih * c.strides[0] + ky * c.dilation[0] - c.padding[0];
      const ow = iw * c.strides[1] + kx * c.dilation[1] - c.padding[1];
      if (oh < 0 || ow < 0 || oh >= OH || ow >= OW) continue;
      y[((n * c.O + g * Og + oc) * OH + oh) * OW + ow]! += v * w[((ci * Og + oc) * c.KH + ky) * c.KW + kx]!;
    }
  }
  return y;
}

/** A [..., M, K] × [..., K, N] product with numpy broadcasting, by tfjs-core's matMul. */
export function tfMatMul(a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[], transposeB = false): Float32Array {
  return tf.tidy(() => tf.matMul(tf.tensor(a, [...aShape]), tf.tensor(b, [...bShape]), false, transposeB).dataSync() as Float32Array);
}

/**
 * The reference of a gemm template's op: dense (x·Wᵀ) and matmul by tfjs-core's matMul, batch_matmul too
 * except for batch dims of unequal rank (tfjs broadcasts only equal ranks), which go to plain JS.
 */
export function gemmReference(op: 'dense' | 'matmul' | 'batch_matmul', a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[]): Float32Array {
  if (op === 'batch_matmul' && aShape.length !== bShape.length) return jsBatchMatMul(a, aShape, b, bShape);
  return tfMatMul(a, aShape, b, bShape, op === 'dense');
}

/**
 * A [...a, M, K] × [...b, K, N] product with numpy broadcasting of the batch dims, in plain JS
 * (tfjs-core's matMul broadcasts only equal-rank batches).
 */
export function jsBatchMatMul(a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[]): Float32Array {
  const [M, K] = aShape.slice(-2) as [number, number];
  const N = bShape[bShape.length - 1]!;
  const ab = aShape.slice(0, -2);
  const bb = bShape.slice(0, -2);
  const rank = Math.max(ab.length, bb.length);
  const pad = (s: readonly number[]): number[] => [...Array(rank - s.length).fill(1), ...s];
  const [pa, pb] = [pad(ab), pad(bb)];
  const batch = pa.map((d, i) => Math.max(d, pb[i]!));
  const count = batch.reduce((x, y) => x * y, 1);
  const out = new Float32Array(count * M * N);
  for (let t = 0; t < count; t++) {
    let rest = t;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % batch[d]!;
      rest = Math.floor(rest / batch[d]!);
      ia += (pa[d] === 1 ? 0 : idx) * sa;
      ib += (pb[d] === 1 ? 0 : idx) * sb;
      sa *= pa[d]!;
      sb *= pb[d]!;
    }
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a[(ia * M + i) * K + k]! * b[(ib * K + k) * N + j]!;
      out[(t * M + i) * N + j] = acc;
    }
  }
  return out;
}

/** First index where got and want differ beyond tolerance, or -1. */
export function mismatch(got: Float32Array, want: Float32Array, tol = 1e-4): number {
  if (got.length !== want.length) return 0;
  return got.findIndex((g, i) => !(Math.abs(g - want[i]!) <= tol + tol * Math.abs(want[i]!)));
}

/**
 * Builds config `index` of template `name` on `args`, runs it on `inputs` and returns the output, or
 * undefined when the config is rejected as invalid (an instantiation error, e.g. a register tile too big).
 */
export async function runConfig(
  name: string, args: readonly WorkloadArg[], target: string, index: number, inputs: readonly Float32Array[],
  where?: (e: ConfigEntity) => boolean,
): Promise<{ out?: Float32Array; task: Task; config: string; wgsl?: string }> {
  const task = createTask(name, args, target);
  let i = index % task.space.length;
  // A config the template's multiFilter refuses is never proposed by a tuner nor built (that refusal
  // is checked against instantiation in template_filter.test.ts): sample the next valid index instead.
  if (where === undefined) {
    for (let n = 0; !task.space.isIndexValid(i) && n < task.space.length; n++) i = (i + 1) % task.space.length;
  } else {
    // With a predicate (e.g. knob vec = 4): hop through the space from `index` by a prime step coprime with
    // its length (so the walk can reach every config) to the first valid config the predicate accepts.
    const len = task.space.length;
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    const step = [104_729, 7919, 613, 97, 13, 1].find((p) => gcd(p, len) === 1)!;
    const tries = Math.min(len, 50_000);
    let n = 0;
    for (; n < tries && !(task.space.isIndexValid(i) && where(task.space.entityAt(i))); n++) i = (i + step) % len;
    if (n === tries) throw new Error(`${name}: no valid config of ${len} satisfies the predicate (${tries} tried)`);
  }
  const config = task.space.entityAt(i).toString();
  const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: i });
  if (built.errorNo === MeasureErrorNo.INSTANTIATION_ERROR && /exceed/.test(built.errorMsg ?? '')) return { task, config };
  if (!built.artifact) throw new Error(`${name} config ${i} ${config}: build failed (${built.errorNo}): ${built.errorMsg}`);
  const { tensors } = task.naive();
  const arrays = tensors.map((t, k) => array(k < inputs.length ? inputs[k]! : new Float32Array(t.dims.reduce((a, b) => a * b, 1)).fill(Number.NaN), [...t.dims]));
  const mod = await load(built.artifact);
  try {
    await mod.run(...arrays);
    const wgsl = built.artifact.format === 'wgsl' ? new TextDecoder().decode(built.artifact.bytes) : undefined;
    return { out: arrays[arrays.length - 1]!.toArray() as Float32Array, task, config, ...(wgsl !== undefined ? { wgsl } : {}) };
  } finally {
    arrays.forEach((a) => a.free());
    mod.dispose();
  }
}

/** NCHW [N, C, H, W] → NCHW[b]c on the host (the test's own transform, independent of packData). */
export function packHost(x: Float32Array, [N, C, H, W]: readonly number[], b: number): Float32Array {
  const out = new Float32Array(x.length);
  let k = 0;
  for (let n = 0; n < N!; n++) for (let cb = 0; cb < C! / b; cb++) for (let h = 0; h < H!; h++) for (let w = 0; w < W!; w++) for (let ci = 0; ci < b; ci++) {
    out[k++] = x[((n * C! + cb * b + ci) * H! + h) * W! + w]!;
  }
  return out;
}
