// relay/op/tensor_eval.ts — small row-major array helpers for evaluating ops on constants in plain
// JS (FoldConstant): strides, numpy broadcasting, and index-mapped gathers.

import type { TensorData } from '../nodes.js';
import type { RelayDType } from '../ty.js';
import { fmtShape } from './op_def.js';

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

export function makeData(shape: readonly number[], dtype: RelayDType, values?: ArrayLike<number>): TensorData {
  const n = numel(shape);
  const v = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  if (values) v.set(values);
  return { shape: [...shape], dtype, values: v };
}

/** numpy's broadcast of two shapes; `op` names the culprit when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new RangeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast (dimension ${i}: ${x} vs ${y})`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** For each flat index of `outShape`, the flat index into an input of shape `inShape` broadcast to it. */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = numel(outShape);
  const idx = new Int32Array(n);
  const inStr = stridesOf(inShape);
  const off = outShape.length - inShape.length;
  const coord = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let d = 0; d < inShape.length; d++) if (inShape[d] !== 1) k += coord[d + off]! * inStr[d]!;
    idx[i] = k;
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++coord[d]! < outShape[d]!) break;
      coord[d] = 0;
    }
  }
  return idx;
}

/** out[i] = src[map(coord(i))] over `outShape`; `map` returns a flat source index. */
export function gather(src: TensorData, outShape: readonly number[], map: (coord: readonly number[]) => number): TensorData {
  const out = makeData(outShape, src.dtype);
  const n = out.values.length;
  const coord = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < n; i++) {
    out.values[i] = src.values[map(coord)]!;
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++coord[d]! < outShape[d]!) break;
      coord[d] = 0;
    }
  }
  return out;
}

/** Elementwise n-ary with broadcasting. */
export function mapBroadcast(args: readonly TensorData[], dtype: RelayDType, op: string, fn: (...xs: number[]) => number): TensorData {
  let shape: number[] = [...args[0]!.shape];
  for (const a of args.slice(1)) shape = broadcastShapes(shape, a.shape, op);
  const out = makeData(shape, dtype);
  const idx = args.map((a) => broadcastIndex(a.shape, shape));
  const xs = new Array<number>(args.length);
  for (let i = 0; i < out.values.length; i++) {
    for (let k = 0; k < args.length; k++) xs[k] = args[k]!.values[idx[k]![i]!]!;
    out.values[i] = fn(...xs);
  }
  return out;
}
