// ops/slicing.ts — strided slicing and gathering (ONNX Slice and Gather; TOPI strided_slice and take).

import * as te from '../schedule/index.js';
import type { Expr } from '../schedule/expr.js';
import { compute, Tensor } from '../schedule/tensor.js';
import { checkInts, checkTensor, fmt, normalizeAxis } from './check.js';
import { TAG } from './tags.js';

/** One sliced axis after ONNX's clamping: first index, step and element count. */
export interface SliceAxis { readonly start: number; readonly step: number; readonly count: number }

/**
 * ONNX Slice's normalization of one axis of size `d`: negative starts/ends count from the end,
 * then starts/ends are clamped ([0, d] for a positive step, [0, d-1] / [-1, d-1] for a negative one).
 */
export function sliceAxis(d: number, start: number, end: number, step: number): SliceAxis {
  let s = start < 0 ? start + d : start;
  let e = end < 0 ? end + d : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), d);
    e = Math.min(Math.max(e, 0), d);
    return { start: s, step, count: Math.max(0, Math.ceil((e - s) / step)) };
  }
  s = Math.min(Math.max(s, 0), d - 1);
  e = Math.min(Math.max(e, -1), d - 1);
  return { start: s, step, count: Math.max(0, Math.ceil((s - e) / -step)) };
}

const isIntLike = (v: number): boolean => Number.isInteger(v) || v === Infinity || v === -Infinity;

/**
 * x[begin:end:strides] on `axes` (default 0..begin.length-1), as ONNX Slice: negative indices count
 * from the end, negative strides walk backwards, out-of-range begin/end are clamped (±Infinity or
 * ±2^31 mean "to the edge"). An empty result is an error (tensors have positive dimensions).
 */
export function stridedSlice(x: Tensor, begin: readonly number[], end: readonly number[], strides?: readonly number[], axes?: readonly number[]): Tensor {
  checkTensor('stridedSlice', x);
  if (!Array.isArray(begin as unknown)) throw new TypeError(`stridedSlice: begin must be an array of integers, got ${String(begin)}`);
  const n = begin.length;
  checkInts('stridedSlice', begin.map((v) => (Number.isFinite(v) ? v : 0)), 'begin');
  if (!Array.isArray(end as unknown) || end.length !== n) throw new RangeError(`stridedSlice: end must have as many entries as begin (${n}), got ${Array.isArray(end as unknown) ? end.length : String(end)}`);
  if (!begin.every(isIntLike) || !end.every(isIntLike)) throw new RangeError(`stridedSlice: begin ${fmt(begin)} and end ${fmt(end)} must be integers (or ±Infinity)`);
  const st = strides === undefined ? new Array<number>(n).fill(1) : checkInts('stridedSlice', strides, 'strides', n, (v) => v !== 0, 'non-zero integers');
  const ax = axes === undefined ? begin.map((_, i) => i) : checkInts('stridedSlice', axes, 'axes', n).map((a) => normalizeAxis('stridedSlice', a, x.ndim, 'axes entry'));
  if (axes === undefined && n > x.ndim) throw new RangeError(`stridedSlice: ${n} begin values for a ${x.ndim}-D tensor`);
  if (new Set(ax).size !== ax.length) throw new RangeError(`stridedSlice: axes [${ax.join(', ')}] names an axis twice`);
  const per: (SliceAxis | undefined)[] = new Array<SliceAxis | undefined>(x.ndim).fill(undefined);
  ax.forEach((a, i) => {
    const sa = sliceAxis(x.dims[a]!, begin[i]!, end[i]!, st[i]!);
    if (sa.count === 0) throw new RangeError(`stridedSlice: axis ${a} (size ${x.dims[a]}) sliced ${begin[i]}:${end[i]}:${st[i]} is empty`);
    per[a] = sa;
  });
  const shape = x.dims.map((d, k) => per[k]?.count ?? d);
  return compute(shape, (...idx) => x.at(...idx.map((e, k) => {
    const p = per[k];
    if (!p) return e;
    const scaled = p.step === 1 ? e : e.mul(p.step);
    return p.start === 0 ? scaled : scaled.add(p.start);
  })), 'T_strided_slice', { tag: TAG.injective });
}

/**
 * ONNX Gather / TOPI take: out.shape = x.shape[:axis] + indices.shape + x.shape[axis+1:].
 * `indices` is an int32 tensor (a negative index counts from the end; values outside [-d, d) are
 * clamped, TVM's mode 'clip', since they cannot be checked before running), a list of integers
 * (checked now), or one integer (the axis disappears).
 */
export function take(x: Tensor, indices: Tensor | readonly number[] | number, axis = 0): Tensor {
  checkTensor('take', x);
  const a = normalizeAxis('take', axis, x.ndim);
  const d = x.dims[a]!;
  const before = x.dims.slice(0, a);
  const after = x.dims.slice(a + 1);
  if (indices instanceof Tensor) {
    if (indices.dtype !== 'int32') throw new TypeError(`take: indices ${indices.name} must be int32, got ${indices.dtype}`);
    const shape = [...before, ...indices.dims, ...after];
    const q = indices.ndim;
    return compute(shape, (...idx) => {
      const raw = indices.at(...idx.slice(a, a + q));
      const wrapped = te.select(raw.lt(0), raw.add(d), raw).max(0).min(d - 1);
      return x.at(...idx.slice(0, a), wrapped, ...idx.slice(a + q));
    }, 'T_take', { tag: TAG.injective, attrs: { axis: a } });
  }
  const list = typeof indices === 'number' ? [indices] : checkInts('take', indices, 'indices', undefined, () => true);
  list.forEach((v, i) => {
    if (!Number.isInteger(v) || v < -d || v >= d) throw new RangeError(`take: index ${v} (entry ${i}) is out of range for axis ${a} of size ${d} (expected ${-d} to ${d - 1})`);
  });
  if (list.length === 0) throw new RangeError('take: indices is empty');
  const vals = list.map((v) => (v < 0 ? v + d : v));
  const scalar = typeof indices === 'number';
  const shape = scalar ? [...before, ...after] : [...before, vals.length, ...after];
  return compute(shape, (...idx) => {
    if (scalar) return x.at(...idx.slice(0, a), vals[0]!, ...idx.slice(a));
    const j = idx[a]!;
    // A constant list becomes a select chain on the output position (small lists: shapes, heads).
    let sel: Expr = te.const(vals[vals.length - 1]!, 'int32');
    for (let i = vals.length - 2; i >= 0; i--) sel = te.select(j.eq(i), te.const(vals[i]!, 'int32'), sel);
    return x.at(...idx.slice(0, a), sel, ...idx.slice(a + 1));
  }, 'T_take', { tag: TAG.injective, attrs: { axis: a } });
}
