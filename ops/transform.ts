// ops/transform.ts — layout operators (TOPI's transform.py, ONNX semantics): transpose, reshape,
// flatten, squeeze, expandDims, concatenate, split. All injective: each output element reads one input element.

import * as te from '../schedule/index.js';
import type { Expr } from '../schedule/expr.js';
import { compute, type Tensor } from '../schedule/tensor.js';
import { checkInts, checkSameDType, checkTensor, fmt, normalizeAxes, normalizeAxis, prod } from './check.js';
import { TAG } from './tags.js';

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1]! * shape[d + 1]!;
  return s;
}

/** The row-major linear index of `idx` in `shape`. */
export function linearIndex(idx: readonly Expr[], shape: readonly number[]): Expr {
  const st = stridesOf(shape);
  return idx.reduce<Expr>((acc, i, d) => acc.add(st[d] === 1 ? i : i.mul(st[d]!)), te.const(0, 'int32'));
}

/** The indices of linear position `lin` in `shape` (floordiv/floormod by the strides). */
export function unravelIndex(lin: Expr, shape: readonly number[]): Expr[] {
  const st = stridesOf(shape);
  return shape.map((d, k) => {
    let v = st[k] === 1 ? lin : lin.floordiv(st[k]!);
    if (k > 0) v = v.floormod(d);
    return v;
  });
}

/** Permutes the axes: out.shape[i] = x.shape[axes[i]] (default: reversed, as numpy/ONNX). */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  checkTensor('transpose', x);
  const perm = axes === undefined ? x.dims.map((_, i) => x.ndim - 1 - i) : checkInts('transpose', axes, 'axes', x.ndim).map((a) => normalizeAxis('transpose', a, x.ndim, 'axes entry'));
  if (new Set(perm).size !== perm.length) throw new RangeError(`transpose: axes [${perm.join(', ')}] is not a permutation of 0..${x.ndim - 1}`);
  const shape = perm.map((a) => x.dims[a]!);
  return compute(shape, (...idx) => {
    const src = new Array<Expr>(x.ndim);
    perm.forEach((a, i) => { src[a] = idx[i]!; });
    return x.at(...src);
  }, 'T_transpose', { tag: TAG.injective, attrs: { axes: perm } });
}

/**
 * The output shape of ONNX Reshape: 0 copies the input's dimension at that position, one -1 is
 * inferred; the element count must match.
 */
export function reshapeShape(op: string, inShape: readonly number[], shape: readonly number[]): number[] {
  checkInts(op, shape, 'shape', undefined, (v) => v >= -1, 'integers ≥ -1 (0 copies the input dimension, -1 is inferred)');
  const out = shape.map((d, i) => {
    if (d !== 0) return d;
    if (i >= inShape.length) throw new RangeError(`${op}: shape[${i}] = 0 copies input dimension ${i}, but the input ${fmt(inShape)} has only ${inShape.length}`);
    return inShape[i]!;
  });
  const holes = out.filter((d) => d === -1).length;
  if (holes > 1) throw new RangeError(`${op}: shape ${fmt(shape)} has more than one -1`);
  const total = prod(inShape);
  const known = prod(out.filter((d) => d !== -1));
  if (holes === 1) {
    if (total % known !== 0) throw new RangeError(`${op}: cannot reshape ${fmt(inShape)} (${total} elements) to ${fmt(shape)}: ${total} is not divisible by ${known}`);
    return out.map((d) => (d === -1 ? total / known : d));
  }
  if (known !== total) throw new RangeError(`${op}: cannot reshape ${fmt(inShape)} (${total} elements) to ${fmt(shape)} (${known} elements)`);
  return out;
}

function reshapeTo(op: string, x: Tensor, shape: readonly number[], name: string): Tensor {
  if (shape.length === x.ndim && shape.every((d, i) => d === x.dims[i])) {
    return compute(shape, (...idx) => x.at(...idx), name, { tag: TAG.injective });
  }
  return compute(shape, (...idx) => x.at(...unravelIndex(linearIndex(idx, shape), x.dims)), name, { tag: TAG.injective, attrs: { newshape: [...shape] } });
}

/** x with a new shape of the same element count (ONNX Reshape: 0 copies, -1 infers). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', x);
  return reshapeTo('reshape', x, reshapeShape('reshape', x.dims, shape), 'T_reshape');
}

/** ONNX Flatten: [prod(dims[:axis]), prod(dims[axis:])], axis in [-ndim, ndim]. */
export function flatten(x: Tensor, axis = 1): Tensor {
  checkTensor('flatten', x);
  if (!Number.isInteger(axis) || axis < -x.ndim || axis > x.ndim) {
    throw new RangeError(`flatten: axis ${axis} is out of range for a ${x.ndim}-D tensor (expected ${-x.ndim} to ${x.ndim})`);
  }
  const a = axis < 0 ? axis + x.ndim : axis;
  return reshapeTo('flatten', x, [prod(x.dims.slice(0, a)), prod(x.dims.slice(a))], 'T_flatten');
}

/** Removes the given size-1 axes (default: every size-1 axis). */
export function squeeze(x: Tensor, axes?: readonly number[]): Tensor {
  checkTensor('squeeze', x);
  const ax = axes === undefined ? x.dims.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axes, x.ndim);
  for (const a of ax) {
    if (x.dims[a] !== 1) throw new RangeError(`squeeze: axis ${a} of input ${fmt(x.dims)} has size ${x.dims[a]}; only size-1 axes can be squeezed`);
  }
  const shape = x.dims.filter((_, i) => !ax.includes(i));
  return compute(shape, (...idx) => {
    let o = 0;
    return x.at(...x.dims.map((_, d) => (ax.includes(d) ? 0 : idx[o++]!)));
  }, 'T_squeeze', { tag: TAG.injective });
}

/** Inserts `num` size-1 axes at `axis` (in [-ndim-1, ndim], as TOPI expand_dims). */
export function expandDims(x: Tensor, axis: number, num = 1): Tensor {
  checkTensor('expandDims', x);
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`expandDims: num must be a non-negative integer, got ${num}`);
  if (!Number.isInteger(axis) || axis < -x.ndim - 1 || axis > x.ndim) {
    throw new RangeError(`expandDims: axis ${axis} is out of range for a ${x.ndim}-D tensor (expected ${-x.ndim - 1} to ${x.ndim})`);
  }
  const a = axis < 0 ? axis + x.ndim + 1 : axis;
  const shape = [...x.dims.slice(0, a), ...new Array<number>(num).fill(1), ...x.dims.slice(a)];
  return compute(shape, (...idx) => x.at(...idx.slice(0, a), ...idx.slice(a + num)), 'T_expand_dims', { tag: TAG.injective });
}

/** Joins tensors of one dtype along `axis`; all other dimensions must agree. */
export function concatenate(xs: readonly Tensor[], axis: number): Tensor {
  if (!Array.isArray(xs as unknown) || xs.length === 0) throw new TypeError('concatenate: needs a non-empty array of tensors');
  xs.forEach((x, i) => checkTensor('concatenate', x, `input ${i}`));
  checkSameDType('concatenate', xs);
  const first = xs[0]!;
  const a = normalizeAxis('concatenate', axis, first.ndim);
  xs.forEach((x, i) => {
    if (x.ndim !== first.ndim || x.dims.some((d, k) => k !== a && d !== first.dims[k])) {
      throw new RangeError(`concatenate: input ${i} has shape ${fmt(x.dims)}, which differs from input 0 ${fmt(first.dims)} outside axis ${a}`);
    }
  });
  if (xs.length === 1) return compute(first.dims, (...idx) => first.at(...idx), 'T_concat', { tag: TAG.injective });
  const offsets: number[] = [];
  let total = 0;
  for (const x of xs) { offsets.push(total); total += x.dims[a]!; }
  const shape = first.dims.map((d, k) => (k === a ? total : d));
  return compute(shape, (...idx) => {
    // Nested lazy ifThenElse from the last input back: only the input that holds the element is read.
    let v: Expr | undefined;
    for (let n = xs.length - 1; n >= 0; n--) {
      const x = xs[n]!;
      const read = x.at(...idx.map((e, k) => (k === a ? (offsets[n] === 0 ? e : e.sub(offsets[n]!)) : e)));
      v = v === undefined ? read : te.ifThenElse(idx[a]!.lt(offsets[n]! + x.dims[a]!), read, v);
    }
    return v!;
  }, 'T_concat', { tag: TAG.injective, attrs: { axis: a } });
}

/**
 * Splits x along `axis`: a number gives that many equal sections (must divide the axis), an array
 * gives the section sizes (must sum to the axis; ONNX Split's `split` input). Returns the pieces.
 */
export function split(x: Tensor, sizesOrSections: number | readonly number[], axis = 0): Tensor[] {
  checkTensor('split', x);
  const a = normalizeAxis('split', axis, x.ndim);
  const n = x.dims[a]!;
  let sizes: number[];
  if (typeof sizesOrSections === 'number') {
    const k = sizesOrSections;
    if (!Number.isInteger(k) || k <= 0) throw new RangeError(`split: the number of sections must be a positive integer, got ${k}`);
    if (n % k !== 0) throw new RangeError(`split: axis ${a} has size ${n}, which ${k} equal sections do not divide (give the sizes instead)`);
    sizes = new Array<number>(k).fill(n / k);
  } else {
    sizes = checkInts('split', sizesOrSections, 'sizes', undefined, (v) => v > 0, 'positive integers');
    const total = sizes.reduce((p, q) => p + q, 0);
    if (total !== n) throw new RangeError(`split: sizes [${sizes.join(', ')}] sum to ${total}, but axis ${a} has size ${n}`);
  }
  let off = 0;
  return sizes.map((sz) => {
    const begin = off;
    off += sz;
    const shape = x.dims.map((d, k) => (k === a ? sz : d));
    return compute(shape, (...idx) => x.at(...idx.map((e, k) => (k === a ? e.add(begin) : e))), 'T_split', { tag: TAG.injective });
  });
}
