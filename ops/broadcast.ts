// ops/broadcast.ts — numpy-style broadcasting (shapes aligned at the right; a dimension of 1 stretches)
// and broadcastTo; the index map every broadcasting op uses to read an input at an output index.

import type { Expr } from '../schedule/expr.js';
import { compute, type Tensor } from '../schedule/tensor.js';
import { checkInts, checkTensor, fmt } from './check.js';
import { TAG } from './tags.js';

/**
 * The broadcast shape of `shapes` (numpy rules: right-aligned, each dimension equal or 1).
 * Throws RangeError `<op>: shapes [..] and [..] do not broadcast (dimension d: a vs b)`.
 */
export function broadcastShapes(op: string, shapes: readonly (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let k = 0; k < s.length; k++) {
      const d = ndim - s.length + k;
      const v = s[k]!;
      if (v === out[d] || v === 1) continue;
      if (out[d] === 1) { out[d] = v; continue; }
      throw new RangeError(`${op}: shapes ${shapes.map(fmt).join(' and ')} do not broadcast (output dimension ${d}: ${out[d]} vs ${v}); ` +
        'each dimension, aligned at the right, must be equal or 1');
    }
  }
  return out;
}

/** The indices into a tensor of shape `inShape` read at output index `idx` (length ≥ inShape.length). */
export function broadcastIndex(idx: readonly Expr[], inShape: readonly number[]): (Expr | number)[] {
  const off = idx.length - inShape.length;
  return inShape.map((d, k) => (d === 1 && idx.length > 0 ? 0 : idx[off + k]!));
}

/** Reads `t` at output index `idx` with broadcasting. A 0-D result (scalar tensor) is not produced by this library. */
export function readBroadcast(t: Tensor, idx: readonly Expr[]): Expr {
  return t.at(...broadcastIndex(idx, t.dims));
}

/**
 * broadcastTo(x, shape): x stretched to `shape` (numpy.broadcast_to; ONNX Expand with a shape that
 * x broadcasts to exactly). Throws when x does not broadcast to `shape` without changing it.
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('broadcastTo', x);
  checkInts('broadcastTo', shape, 'shape', undefined, (v) => v > 0, 'positive integers');
  if (shape.length < x.ndim) throw new RangeError(`broadcastTo: target shape ${fmt(shape)} has fewer dimensions than the input ${fmt(x.dims)}`);
  const out = broadcastShapes('broadcastTo', [x.dims, shape]);
  if (out.some((d, i) => d !== shape[i])) {
    throw new RangeError(`broadcastTo: input ${fmt(x.dims)} cannot be broadcast to ${fmt(shape)} (it would give ${fmt(out)})`);
  }
  return compute(shape, (...idx) => readBroadcast(x, idx), 'T_broadcast_to', { tag: TAG.broadcast });
}
