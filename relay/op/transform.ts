// relay/op/transform.ts — injective operators (TVM's relay/op/tensor/transform.cc names): reshape,
// transpose, squeeze, expand_dims, concatenate, strided_slice, take, pad, broadcast_to, tile, resize.

import type { Attrs, TensorData } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { fmtShape, intsAttr, normAxis, numAttr, OpPattern, strAttr, type OpDef } from './op_def.js';
import { broadcastShapes, gather, makeData, numel, stridesOf } from './tensor_eval.js';

/** ONNX Slice semantics for one axis: clamped start, element count and step. */
export function sliceAxis(dim: number, begin: number, end: number, step: number, op: string): { start: number; count: number } {
  if (step === 0 || !Number.isInteger(step)) throw new RangeError(`${op}: step ${step} must be a non-zero integer`);
  let b = begin < 0 ? begin + dim : begin;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    b = Math.min(Math.max(b, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return { start: b, count: Math.max(0, Math.ceil((e - b) / step)) };
  }
  b = Math.min(Math.max(b, -1), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return { start: b, count: Math.max(0, Math.ceil((e - b) / step)) };
}

/** Resolved slice per dimension of `shape`: start, count and step (untouched axes take all). */
export function sliceSpec(shape: readonly number[], attrs: Attrs): { start: number; count: number; step: number }[] {
  const op = 'strided_slice';
  const begin = intsAttr(attrs, op, 'begin');
  const end = intsAttr(attrs, op, 'end');
  const strides = intsAttr(attrs, op, 'strides', begin.map(() => 1));
  const axes = intsAttr(attrs, op, 'axes', begin.map((_, i) => i));
  if (end.length !== begin.length || strides.length !== begin.length || axes.length !== begin.length) {
    throw new RangeError(`${op}: begin, end, strides and axes must have one entry per sliced axis`);
  }
  const spec = shape.map((d) => ({ start: 0, count: d, step: 1 }));
  axes.forEach((a, i) => {
    const ax = normAxis(a, shape.length, op);
    const { start, count } = sliceAxis(shape[ax]!, begin[i]!, end[i]!, strides[i]!, op);
    spec[ax] = { start, count, step: strides[i]! };
  });
  return spec;
}

function checkPositive(shape: readonly number[], op: string): void {
  if (shape.some((d) => d === 0)) throw new RangeError(`${op}: the result ${fmtShape(shape)} is empty; zero-size tensors are not supported`);
}

function injective(name: string, arity: number | 'variadic', inferType: OpDef['inferType'], evaluate?: OpDef['evaluate']): OpDef {
  return evaluate ? { name, pattern: OpPattern.INJECTIVE, arity, inferType, evaluate } : { name, pattern: OpPattern.INJECTIVE, arity, inferType };
}

const reshapeType = (x: TensorType, attrs: Attrs): TensorType => {
  const ns = intsAttr(attrs, 'reshape', 'newshape');
  if (numel(ns) !== numel(x.shape) || ns.some((d) => d < 0)) {
    throw new RangeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${numel(x.shape)} elements) to ${fmtShape(ns)}`);
  }
  return tensorType(ns, x.dtype);
};

function transposeAxes(ndim: number, attrs: Attrs): number[] {
  const given = attrs['axes'];
  const axes = given === undefined ? [...Array(ndim).keys()].reverse() : intsAttr(attrs, 'transpose', 'axes').map((a) => normAxis(a, ndim, 'transpose'));
  if (axes.length !== ndim || new Set(axes).size !== ndim) throw new RangeError(`transpose: axes ${fmtShape(axes)} are not a permutation of ${ndim} axes`);
  return axes;
}

export function padWidths(x: TensorType, attrs: Attrs): { before: readonly number[]; after: readonly number[] } {
  const before = intsAttr(attrs, 'nn.pad', 'pad_before');
  const after = intsAttr(attrs, 'nn.pad', 'pad_after');
  if (before.length !== x.shape.length || after.length !== x.shape.length) throw new RangeError(`nn.pad: needs ${x.shape.length} pads before and after, got ${before.length} and ${after.length}`);
  return { before, after };
}

export const TRANSFORM_OPS: readonly OpDef[] = [
  injective('reshape', 1, ([x], a) => reshapeType(x!, a), ([x], a) => ({ shape: intsAttr(a, 'reshape', 'newshape'), dtype: x!.dtype, values: x!.values })),
  injective('transpose', 1, ([x], a) => {
    const axes = transposeAxes(x!.shape.length, a);
    return tensorType(axes.map((i) => x!.shape[i]!), x!.dtype);
  }, ([x], a) => {
    const axes = transposeAxes(x!.shape.length, a);
    const st = stridesOf(x!.shape);
    return gather(x!, axes.map((i) => x!.shape[i]!), (c) => c.reduce((acc, v, d) => acc + v * st[axes[d]!]!, 0));
  }),
  injective('squeeze', 1, ([x], a) => {
    const axes = intsAttr(a, 'squeeze', 'axis').map((v) => normAxis(v, x!.shape.length, 'squeeze'));
    axes.forEach((ax) => {
      if (x!.shape[ax] !== 1) throw new RangeError(`squeeze: axis ${ax} of ${fmtShape(x!.shape)} has size ${x!.shape[ax]}, not 1`);
    });
    return tensorType(x!.shape.filter((_, i) => !axes.includes(i)), x!.dtype);
  }, ([x], a) => relabel(x!, 'squeeze', a)),
  injective('expand_dims', 1, ([x], a) => {
    const nd = x!.shape.length;
    const num = numAttr(a, 'expand_dims', 'num', 1);
    const ax = normAxis(numAttr(a, 'expand_dims', 'axis'), nd + 1, 'expand_dims');
    return tensorType([...x!.shape.slice(0, ax), ...Array<number>(num).fill(1), ...x!.shape.slice(ax)], x!.dtype);
  }, ([x], a) => relabel(x!, 'expand_dims', a)),
  injective('concatenate', 'variadic', (xs, a) => {
    if (xs.length === 0) throw new RangeError('concatenate: needs at least one input');
    const first = xs[0]!;
    const ax = normAxis(numAttr(a, 'concatenate', 'axis'), first.shape.length, 'concatenate');
    let total = 0;
    xs.forEach((x, i) => {
      if (x.dtype !== first.dtype) throw new TypeError(`concatenate: input ${i} is ${x.dtype}, input 0 is ${first.dtype}`);
      if (x.shape.length !== first.shape.length || x.shape.some((d, k) => k !== ax && d !== first.shape[k])) {
        throw new RangeError(`concatenate: input ${i} has shape ${fmtShape(x.shape)}, which differs from input 0 ${fmtShape(first.shape)} outside axis ${ax}`);
      }
      total += x.shape[ax]!;
    });
    return tensorType(first.shape.map((d, k) => (k === ax ? total : d)), first.dtype);
  }, (xs, a) => {
    const ax = normAxis(numAttr(a, 'concatenate', 'axis'), xs[0]!.shape.length, 'concatenate');
    const outShape = xs[0]!.shape.map((d, k) => (k === ax ? xs.reduce((s, x) => s + x.shape[ax]!, 0) : d));
    const out = makeData(outShape, xs[0]!.dtype);
    const outer = numel(outShape.slice(0, ax));
    const inner = numel(outShape.slice(ax + 1));
    let off = 0;
    for (let o = 0; o < outer; o++) {
      for (const x of xs) {
        const chunk = x.shape[ax]! * inner;
        out.values.set(x.values.subarray(o * chunk, (o + 1) * chunk), off);
        off += chunk;
      }
    }
    return out;
  }),
  injective('strided_slice', 1, ([x], a) => {
    const shape = sliceSpec(x!.shape, a).map((s) => s.count);
    checkPositive(shape, 'strided_slice');
    return tensorType(shape, x!.dtype);
  }, ([x], a) => {
    const spec = sliceSpec(x!.shape, a);
    const st = stridesOf(x!.shape);
    return gather(x!, spec.map((s) => s.count), (c) => c.reduce((acc, v, d) => acc + (spec[d]!.start + v * spec[d]!.step) * st[d]!, 0));
  }),
  injective('take', 2, ([x, idx], a) => {
    if (idx!.dtype !== 'int32') throw new TypeError(`take: indices must be integers, got ${idx!.dtype}`);
    const ax = normAxis(numAttr(a, 'take', 'axis', 0), x!.shape.length, 'take');
    return tensorType([...x!.shape.slice(0, ax), ...idx!.shape, ...x!.shape.slice(ax + 1)], x!.dtype);
  }, ([x, idx], a) => {
    const ax = normAxis(numAttr(a, 'take', 'axis', 0), x!.shape.length, 'take');
    const dim = x!.shape[ax]!;
    const st = stridesOf(x!.shape);
    const ist = stridesOf(idx!.shape);
    const ni = idx!.shape.length;
    const outShape = [...x!.shape.slice(0, ax), ...idx!.shape, ...x!.shape.slice(ax + 1)];
    return gather(x!, outShape, (c) => {
      let flat = 0;
      for (let k = 0; k < ni; k++) flat += c[ax + k]! * ist[k]!;
      let i = idx!.values[flat]!;
      if (i < -dim || i >= dim) throw new RangeError(`take: index ${i} is out of range for axis ${ax} of size ${dim}`);
      if (i < 0) i += dim;
      let off = i * st[ax]!;
      for (let d = 0; d < ax; d++) off += c[d]! * st[d]!;
      for (let d = ax + 1; d < x!.shape.length; d++) off += c[d + ni - 1]! * st[d]!;
      return off;
    });
  }),
  injective('nn.pad', 1, ([x], a) => {
    const { before, after } = padWidths(x!, a);
    const mode = strAttr(a, 'nn.pad', 'pad_mode', 'constant');
    if (mode !== 'constant' && mode !== 'edge' && mode !== 'reflect') throw new RangeError(`nn.pad: mode '${mode}' is not constant, edge or reflect`);
    const shape = x!.shape.map((d, i) => d + before[i]! + after[i]!);
    checkPositive(shape, 'nn.pad');
    return tensorType(shape, x!.dtype);
  }),
  injective('broadcast_to', 1, ([x], a) => tensorType(broadcastShapes(x!.shape, intsAttr(a, 'broadcast_to', 'shape'), 'broadcast_to'), x!.dtype),
    ([x], a) => broadcastToData(x!, intsAttr(a, 'broadcast_to', 'shape'))),
  injective('tile', 1, ([x], a) => {
    const reps = intsAttr(a, 'tile', 'reps');
    if (reps.length !== x!.shape.length || reps.some((r) => !Number.isInteger(r) || r < 1)) {
      throw new RangeError(`tile: reps ${fmtShape(reps)} must be one positive integer per axis of ${fmtShape(x!.shape)}`);
    }
    return tensorType(x!.shape.map((d, i) => d * reps[i]!), x!.dtype);
  }, ([x], a) => {
    const reps = intsAttr(a, 'tile', 'reps');
    const st = stridesOf(x!.shape);
    return gather(x!, x!.shape.map((d, i) => d * reps[i]!), (c) => c.reduce((acc, v, d) => acc + (v % x!.shape[d]!) * st[d]!, 0));
  }),
  injective('image.resize2d', 1, ([x], a) => {
    if (x!.shape.length !== 4) throw new RangeError(`image.resize2d: needs an NCHW input, got ${fmtShape(x!.shape)}`);
    const [h, w] = intsAttr(a, 'image.resize2d', 'size');
    const method = strAttr(a, 'image.resize2d', 'method', 'nearest');
    if (method !== 'nearest' && method !== 'linear') throw new RangeError(`image.resize2d: method '${method}' is not supported (nearest or linear)`);
    return tensorType([x!.shape[0]!, x!.shape[1]!, h!, w!], x!.dtype);
  }),
];

/** The same values under the shape op `name`'s type relation gives (squeeze, expand_dims). */
function relabel(x: TensorData, name: string, attrs: Attrs): TensorData {
  const def = TRANSFORM_OPS.find((d) => d.name === name)!;
  return { shape: def.inferType([tensorType(x.shape, x.dtype)], attrs).shape, dtype: x.dtype, values: x.values };
}

/** numpy broadcast of constant values to `shape` (ONNX Expand). */
export function broadcastToData(x: TensorData, shape: readonly number[]): TensorData {
  const out = broadcastShapes(x.shape, shape, 'broadcast_to');
  const st = stridesOf(x.shape);
  const off = out.length - x.shape.length;
  return gather(x, out, (c) => x.shape.reduce((acc, d, k) => acc + (d === 1 ? 0 : c[k + off]! * st[k]!), 0));
}
