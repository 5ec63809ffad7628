// relay/frontend/onnx_convert_tensor.ts — ONNX → relay for elementwise math, activations, shape
// manipulation, reductions, resize and constants, reading both the attribute (old opsets) and the
// input (new opsets) form of Clip min/max, Slice, Squeeze/Unsqueeze axes, Reduce axes, Pad, Split and Resize.

import { scalar } from '../nodes.js';
import { normAxis } from '../op/op_def.js';
import { broadcastShapes, makeData } from '../op/tensor_eval.js';
import { sliceAxis } from '../op/transform.js';
import type { ConvertContext } from './onnx_context.js';
import type { Converter } from './onnx_convert_nn.js';
import { relayDType } from './onnx_model.js';

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

const binary = (op: string): Converter => (ctx) => {
  // Max/Min/Sum take any number of inputs.
  let y = ctx.input(0);
  for (let i = 1; i < ctx.numInputs; i++) y = ctx.make(op, [y, ctx.input(i)]);
  return y;
};
const unary = (op: string, attrs: (ctx: ConvertContext) => Record<string, number | string> = () => ({})): Converter =>
  (ctx) => ctx.make(op, [ctx.input(0)], attrs(ctx));

/** Clip: min/max attributes before opset 11, optional constant inputs from 11. */
const clip: Converter = (ctx) => {
  let lo = -Infinity;
  let hi = Infinity;
  if (ctx.opset < 11) {
    lo = ctx.float('min', -3.4028234663852886e38);
    hi = ctx.float('max', 3.4028234663852886e38);
  } else {
    if (ctx.optInput(1) !== undefined) lo = ctx.constInput(1, 'min').values[0]!;
    if (ctx.optInput(2) !== undefined) hi = ctx.constInput(2, 'max').values[0]!;
  }
  return ctx.make('clip', [ctx.input(0)], { a_min: lo, a_max: hi });
};

/** Reshape with ONNX's 0 (copy the input dimension, unless allowzero) and -1 (inferred). */
export function resolveShape(ctx: ConvertContext, inShape: readonly number[], spec: readonly number[], allowZero: boolean): number[] {
  const out = spec.map((d, i) => (d === 0 && !allowZero ? inShape[i]! : d));
  const neg = out.filter((d) => d === -1).length;
  if (neg > 1) throw new Error(`${ctx.where}: shape [${spec.join(', ')}] has more than one -1`);
  if (neg === 1) {
    const known = prod(out.filter((d) => d !== -1));
    const total = prod(inShape);
    if (known === 0 || total % known !== 0) throw new Error(`${ctx.where}: cannot reshape [${inShape.join(', ')}] to [${spec.join(', ')}]`);
    return out.map((d) => (d === -1 ? total / known : d));
  }
  return out;
}

const reshape: Converter = (ctx) => {
  const spec = ctx.opset < 5 ? ctx.ints('shape') : ctx.constInts(1, 'shape');
  return ctx.make('reshape', [ctx.input(0)], { newshape: resolveShape(ctx, ctx.shapeOf(0), spec, ctx.int('allowzero', 0) !== 0) });
};

const flatten: Converter = (ctx) => {
  const s = ctx.shapeOf(0);
  const axis = normAxis(ctx.int('axis', 1), s.length + 1, ctx.where);
  return ctx.make('reshape', [ctx.input(0)], { newshape: [prod(s.slice(0, axis)), prod(s.slice(axis))] });
};

const squeeze: Converter = (ctx) => {
  const s = ctx.shapeOf(0);
  const axes = ctx.intsAttrOrInput('axes', 1, 13, 'axes') ?? s.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
  return ctx.make('squeeze', [ctx.input(0)], { axis: axes.map((a) => normAxis(a, s.length, ctx.where)) });
};

const unsqueeze: Converter = (ctx) => {
  const axes = ctx.intsAttrOrInput('axes', 1, 13, 'axes');
  if (axes === undefined) throw new Error(`${ctx.where}: axes are required`);
  const rank = ctx.shapeOf(0).length + axes.length;
  const sorted = axes.map((a) => normAxis(a, rank, ctx.where)).sort((a, b) => a - b);
  let y = ctx.input(0);
  for (const a of sorted) y = ctx.make('expand_dims', [y], { axis: a });
  return y;
};

const slice: Converter = (ctx) => {
  const s = ctx.shapeOf(0);
  const starts = ctx.opset < 10 ? ctx.ints('starts') : ctx.constInts(1, 'starts');
  const ends = ctx.opset < 10 ? ctx.ints('ends') : ctx.constInts(2, 'ends');
  const axes = (ctx.opset < 10 ? (ctx.has('axes') ? ctx.ints('axes') : undefined) : ctx.optInput(3) && ctx.constInts(3, 'axes')) ?? starts.map((_, i) => i);
  const steps = (ctx.opset >= 10 && ctx.optInput(4) ? ctx.constInts(4, 'steps') : undefined) ?? starts.map(() => 1);
  return ctx.make('strided_slice', [ctx.input(0)], { begin: starts, end: ends, strides: steps, axes: axes.map((a) => normAxis(a, s.length, ctx.where)) });
};

/** Split into strided slices: sizes from the attribute (< 13) or input (≥ 13), else equal parts per output. */
const split: Converter = (ctx) => {
  const s = ctx.shapeOf(0);
  const axis = normAxis(ctx.int('axis', 0), s.length, ctx.where);
  const n = ctx.node.output?.length ?? 1;
  let sizes = ctx.intsAttrOrInput('split', 1, 13, 'split');
  if (sizes === undefined) {
    const parts = ctx.has('num_outputs') ? ctx.int('num_outputs') : n;
    const chunk = Math.ceil(s[axis]! / parts);
    sizes = Array.from({ length: parts }, (_, i) => Math.min(chunk, s[axis]! - i * chunk));
  }
  if (sizes.reduce((a, b) => a + b, 0) !== s[axis]) throw new Error(`${ctx.where}: split sizes [${sizes.join(', ')}] do not add up to axis ${axis} of size ${s[axis]}`);
  let begin = 0;
  return sizes.map((size) => {
    const y = ctx.make('strided_slice', [ctx.input(0)], { begin: [begin], end: [begin + size], strides: [1], axes: [axis] });
    begin += size;
    return y;
  });
};

const gather: Converter = (ctx) => {
  const s = ctx.shapeOf(0);
  return ctx.make('take', [ctx.input(0), ctx.input(1)], { axis: normAxis(ctx.int('axis', 0), s.length, ctx.where) });
};

/** Pad: attributes pads/value (< 11), inputs pads/constant_value (≥ 11) and axes (≥ 18). */
const pad: Converter = (ctx) => {
  const s = ctx.shapeOf(0);
  const mode = ctx.str('mode', 'constant');
  let pads: number[];
  let value = 0;
  if (ctx.opset < 11) {
    pads = ctx.ints('pads');
    value = ctx.float('value', 0);
  } else {
    pads = ctx.constInts(1, 'pads');
    if (ctx.optInput(2) !== undefined) value = ctx.constInput(2, 'constant_value').values[0] ?? 0;
  }
  let before = pads.slice(0, pads.length / 2);
  let after = pads.slice(pads.length / 2);
  if (ctx.opset >= 18 && ctx.optInput(3) !== undefined) {
    const axes = ctx.constInts(3, 'axes').map((a) => normAxis(a, s.length, ctx.where));
    const b = s.map(() => 0);
    const a = s.map(() => 0);
    axes.forEach((ax, i) => { b[ax] = before[i]!; a[ax] = after[i]!; });
    before = b;
    after = a;
  }
  if (before.some((p) => p < 0) || after.some((p) => p < 0)) throw new Error(`${ctx.where}: negative pads (cropping) are not supported`);
  return ctx.make('nn.pad', [ctx.input(0)], { pad_before: before, pad_after: after, pad_mode: mode, pad_value: value });
};

/** Expand: numpy broadcast of the input with the given shape (either may be larger). */
const expand: Converter = (ctx) => {
  const shape = ctx.constInts(1, 'shape');
  return ctx.make('broadcast_to', [ctx.input(0)], { shape: broadcastShapes(ctx.shapeOf(0), shape, ctx.where) });
};

function reduce(op: string, inputSince: number): Converter {
  return (ctx) => {
    const s = ctx.shapeOf(0);
    const axes = ctx.intsAttrOrInput('axes', 1, inputSince, 'axes');
    if ((axes === undefined || axes.length === 0) && ctx.int('noop_with_empty_axes', 0)) return ctx.input(0);
    return ctx.make(op, [ctx.input(0)], { axis: (axes ?? []).map((a) => normAxis(a, s.length, ctx.where)), keepdims: ctx.int('keepdims', 1) !== 0 });
  };
}

/** Resize (opset 10+: scales or sizes inputs) and Upsample (scales input, attribute before 9). */
const resize: Converter = (ctx) => {
  const s = ctx.shapeOf(0);
  if (s.length !== 4) throw new Error(`${ctx.where}: only 4-D (NCHW) inputs are supported, got [${s.join(', ')}]`);
  let sizes: number[] | undefined;
  let scales: number[] | undefined;
  if (ctx.node.opType === 'Upsample' || ctx.opset < 11) {
    scales = ctx.opset < 9 ? ctx.ints('scales') : [...ctx.constInput(1, 'scales').values];
  } else {
    if (ctx.optInput(3) !== undefined) sizes = ctx.constInts(3, 'sizes');
    else if (ctx.optInput(2) !== undefined && ctx.constInput(2, 'scales').values.length > 0) scales = [...ctx.constInput(2, 'scales').values];
    else throw new Error(`${ctx.where}: needs scales or sizes`);
  }
  const out = sizes ?? s.map((d, i) => Math.floor(d * scales![i]!));
  if (out[0] !== s[0] || out[1] !== s[1]) throw new Error(`${ctx.where}: resizing the batch or channel axis is not supported (output [${out.join(', ')}])`);
  const mode = ctx.str('mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear') throw new Error(`${ctx.where}: mode '${mode}' is not supported (nearest or linear)`);
  const ctm = ctx.opset < 11 ? 'asymmetric' : ctx.str('coordinate_transformation_mode', 'half_pixel');
  const nearestMode = ctx.opset < 11 ? 'floor' : ctx.str('nearest_mode', 'round_prefer_floor');
  return ctx.make('image.resize2d', [ctx.input(0)], { size: [out[2]!, out[3]!], method: mode, coordinate_transformation_mode: ctm, nearest_mode: nearestMode });
};

const constantOp: Converter = (ctx) => {
  const t = ctx.tensorAttr('value');
  if (t) return ctx.const(t);
  if (ctx.has('value_float')) return scalar(ctx.float('value_float'));
  if (ctx.has('value_int')) return scalar(ctx.int('value_int'), 'int32');
  if (ctx.has('value_floats')) { const v = ctx.ints('value_floats'); return ctx.const(makeData([v.length], 'float32', v)); }
  if (ctx.has('value_ints')) { const v = ctx.ints('value_ints'); return ctx.const(makeData([v.length], 'int32', v)); }
  throw new Error(`${ctx.where}: no supported value attribute (value, value_float(s), value_int(s))`);
};

const constantOfShape: Converter = (ctx) => {
  const shape = ctx.constInts(0, 'shape');
  const v = ctx.tensorAttr('value') ?? makeData([1], 'float32', [0]);
  const d = makeData(shape, v.dtype);
  d.values.fill(v.values[0] ?? 0);
  return ctx.const(d);
};

/** Shape (with the start/end attributes of opset 15) as a constant: shapes are static here. */
const shape: Converter = (ctx) => {
  const s = ctx.shapeOf(0);
  const { start, count } = sliceAxis(s.length, ctx.int('start', 0), ctx.int('end', s.length), 1, ctx.where);
  return ctx.const(makeData([count], 'int32', s.slice(start, start + count)));
};

const range: Converter = (ctx) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => ctx.constInput(i, ['start', 'limit', 'delta'][i]!));
  const n = Math.max(0, Math.ceil((limit!.values[0]! - start!.values[0]!) / delta!.values[0]!));
  return ctx.const(makeData([n], start!.dtype, Array.from({ length: n }, (_, i) => start!.values[0]! + i * delta!.values[0]!)));
};

export const TENSOR_CONVERTERS: Readonly<Record<string, Converter>> = {
  Add: binary('add'), Sub: binary('subtract'), Mul: binary('multiply'), Div: binary('divide'), Pow: binary('power'),
  Max: binary('maximum'), Min: binary('minimum'), Sum: binary('add'),
  Sqrt: unary('sqrt'), Exp: unary('exp'), Log: unary('log'), Abs: unary('abs'), Neg: unary('negative'), Erf: unary('erf'),
  Relu: unary('nn.relu'), Sigmoid: unary('sigmoid'), Tanh: unary('tanh'),
  LeakyRelu: unary('nn.leaky_relu', (c) => ({ alpha: c.float('alpha', 0.01) })),
  HardSigmoid: unary('hard_sigmoid', (c) => ({ alpha: c.float('alpha', 0.2), beta: c.float('beta', 0.5) })),
  HardSwish: unary('hard_swish'),
  Gelu: unary('gelu', (c) => ({ approximate: c.str('approximate', 'none') })),
  Clip: clip,
  Cast: (ctx) => ctx.make('cast', [ctx.input(0)], { dtype: relayDType(ctx.int('to'), ctx.where) }),
  Where: (ctx) => ctx.make('where', [ctx.input(0), ctx.input(1), ctx.input(2)]),
  Identity: (ctx) => ctx.input(0),
  Reshape: reshape, Flatten: flatten, Squeeze: squeeze, Unsqueeze: unsqueeze,
  Transpose: (ctx) => ctx.make('transpose', [ctx.input(0)], ctx.has('perm') ? { axes: ctx.ints('perm') } : {}),
  Concat: (ctx) => ctx.make('concatenate', Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i)), { axis: ctx.int('axis') }),
  Split: split, Slice: slice, Gather: gather, Pad: pad, Expand: expand,
  Tile: (ctx) => ctx.make('tile', [ctx.input(0)], { reps: ctx.constInts(1, 'repeats') }),
  ReduceMean: reduce('mean', 18), ReduceSum: reduce('sum', 13), ReduceMax: reduce('max', 18), ReduceMin: reduce('min', 18),
  Resize: resize, Upsample: resize,
  Constant: constantOp, ConstantOfShape: constantOfShape, Shape: shape, Range: range,
};
