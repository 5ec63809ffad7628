// tests/relay/models/reference.ts — the independent reference: onnxruntime-node (CPU) running the same
// .onnx bytes; plus the comparison metric (max abs error relative to the output's scale).

import * as ort from 'onnxruntime-node';

export async function ortRun(bytes: Uint8Array, inputs: Readonly<Record<string, { data: Float32Array; shape: readonly number[] }>>): Promise<Float32Array[]> {
  const sess = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', v.data, [...v.shape]);
  const res = await sess.run(feeds);
  const outs = sess.outputNames.map((n) => res[n]!.data as Float32Array);
  await sess.release();
  return outs;
}

/** max |a - b| / max(1, max |b|): the error relative to the output's scale. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let err = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

/** Seeded input data in [-1, 1). */
export function inputData(shape: readonly number[], seed: number): Float32Array {
  let a = seed >>> 0;
  const n = shape.reduce((x, y) => x * y, 1);
  return Float32Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return (a / 4294967296) * 2 - 1;
  });
}
