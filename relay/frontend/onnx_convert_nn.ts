// relay/frontend/onnx_convert_nn.ts — ONNX → relay for the neural-network operators: Conv,
// ConvTranspose, Gemm, MatMul, pooling, normalizations, softmax (TVM's python/tvm/relay/frontend/onnx.py).

import { scalar, type Expr } from '../nodes.js';
import type { ConvertContext } from './onnx_context.js';

export type Converter = (ctx: ConvertContext) => Expr | readonly (Expr | undefined)[];

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Pads [top, left, bottom, right] from ONNX pads/auto_pad (SAME_UPPER puts the odd pixel at the end). */
function pads2d(ctx: ConvertContext, inHW: readonly number[], kernel: readonly number[], strides: readonly number[], dil: readonly number[]): number[] {
  const autoPad = ctx.str('auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') {
    const p = ctx.ints('pads', [0, 0, 0, 0]);
    if (p.length !== 4) throw new Error(`${ctx.where}: pads has ${p.length} values; only 2-D windows (4 pads) are supported`);
    return p;
  }
  if (autoPad === 'VALID') return [0, 0, 0, 0];
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') throw new Error(`${ctx.where}: auto_pad '${autoPad}' is not NOTSET, VALID, SAME_UPPER or SAME_LOWER`);
  const before: number[] = [];
  const after: number[] = [];
  for (let d = 0; d < 2; d++) {
    const out = Math.ceil(inHW[d]! / strides[d]!);
    const total = Math.max(0, (out - 1) * strides[d]! + (kernel[d]! - 1) * dil[d]! + 1 - inHW[d]!);
    const small = Math.floor(total / 2);
    before.push(autoPad === 'SAME_UPPER' ? small : total - small);
    after.push(autoPad === 'SAME_UPPER' ? total - small : small);
  }
  return [before[0]!, before[1]!, after[0]!, after[1]!];
}

function need4d(ctx: ConvertContext): readonly number[] {
  const s = ctx.shapeOf(0);
  if (s.length !== 4) throw new Error(`${ctx.where}: only 2-D (NCHW, 4-D input) is supported, the input is [${s.join(', ')}]`);
  return s;
}

/** y + bias along axis 1 of an NCHW result. */
function addChannelBias(ctx: ConvertContext, y: Expr, b: Expr | undefined): Expr {
  if (b === undefined) return y;
  return ctx.make('add', [y, ctx.make('reshape', [b], { newshape: [ctx.type(b).shape[0]!, 1, 1] })]);
}

const conv: Converter = (ctx) => {
  const x = need4d(ctx);
  const w = ctx.shapeOf(1);
  const kernel = ctx.ints('kernel_shape', w.slice(2));
  const strides = ctx.ints('strides', [1, 1]);
  const dilation = ctx.ints('dilations', [1, 1]);
  const padding = pads2d(ctx, x.slice(2), kernel, strides, dilation);
  const y = ctx.make('nn.conv2d', [ctx.input(0), ctx.input(1)], { strides, padding, dilation, groups: ctx.int('group', 1) });
  return addChannelBias(ctx, y, ctx.optInput(2));
};

const convTranspose: Converter = (ctx) => {
  const x = need4d(ctx);
  const w = ctx.shapeOf(1);
  const kernel = ctx.ints('kernel_shape', w.slice(2));
  const strides = ctx.ints('strides', [1, 1]);
  const dil = ctx.ints('dilations', [1, 1]);
  const group = ctx.int('group', 1);
  let outPad = ctx.ints('output_padding', [0, 0]);
  let padding = ctx.ints('pads', [0, 0, 0, 0]);
  const autoPad = ctx.str('auto_pad', 'NOTSET');
  const outShape = ctx.has('output_shape') ? ctx.ints('output_shape').slice(-2) : undefined;
  if (outShape !== undefined || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    // ONNX: total_padding = stride*(in-1) + output_padding + ((kernel-1)*dilation+1) - out.
    const target = outShape ?? [x[2]! * strides[0]!, x[3]! * strides[1]!];
    const before: number[] = [];
    const after: number[] = [];
    for (let d = 0; d < 2; d++) {
      const total = strides[d]! * (x[d + 2]! - 1) + outPad[d]! + (kernel[d]! - 1) * dil[d]! + 1 - target[d]!;
      if (total < 0) {
        outPad = outPad.map((p, k) => (k === d ? p - total : p));
        before.push(0);
        after.push(0);
        continue;
      }
      // ONNX (and ONNX Runtime): SAME_UPPER puts the odd pixel at the end; SAME_LOWER and NOTSET at the start.
      const small = Math.floor(total / 2);
      const upper = autoPad === 'SAME_UPPER';
      before.push(upper ? small : total - small);
      after.push(upper ? total - small : small);
    }
    padding = [before[0]!, before[1]!, after[0]!, after[1]!];
  } else if (autoPad === 'VALID') {
    padding = [0, 0, 0, 0];
  }
  const y = ctx.make('nn.conv2d_transpose', [ctx.input(0), ctx.input(1)], { strides, padding, output_padding: outPad, dilation: dil, groups: group });
  return addChannelBias(ctx, y, ctx.optInput(2));
};

/** Y = alpha·A'·B' + beta·C as nn.dense (B' transposed to [N, K], folded when B is a constant). */
const gemm: Converter = (ctx) => {
  const alpha = ctx.float('alpha', 1);
  const beta = ctx.float('beta', 1);
  let a = ctx.input(0);
  if (ctx.type(a).shape.length !== 2) throw new Error(`${ctx.where}: A must be 2-D, got [${ctx.type(a).shape.join(', ')}]`);
  if (ctx.int('transA', 0)) a = ctx.make('transpose', [a], { axes: [1, 0] });
  let b = ctx.input(1);
  if (!ctx.int('transB', 0)) b = ctx.make('transpose', [b], { axes: [1, 0] });
  let y = ctx.make('nn.dense', [a, b]);
  if (alpha !== 1) y = ctx.make('multiply', [y, scalar(alpha)]);
  const c = ctx.optInput(2);
  if (c !== undefined && beta !== 0) y = ctx.make('add', [y, beta === 1 ? c : ctx.make('multiply', [c, scalar(beta)])]);
  return y;
};

/** numpy matmul: 2-D × constant 2-D → dense; N-D × 2-D → reshape + dense; else batch_matmul. */
const matmul: Converter = (ctx) => {
  let a = ctx.input(0);
  let b = ctx.input(1);
  const as0 = ctx.type(a).shape;
  const bs0 = ctx.type(b).shape;
  if (as0.length === 1) a = ctx.make('expand_dims', [a], { axis: 0 });
  if (bs0.length === 1) b = ctx.make('expand_dims', [b], { axis: 1 });
  const as = ctx.type(a).shape;
  const bs = ctx.type(b).shape;
  let y: Expr;
  if (bs.length === 2) {
    const k = as[as.length - 1]!;
    const lead = as.slice(0, -1);
    const a2 = as.length === 2 ? a : ctx.make('reshape', [a], { newshape: [prod(lead), k] });
    const y2 = b.kind === 'Constant'
      ? ctx.make('nn.dense', [a2, ctx.make('transpose', [b], { axes: [1, 0] })])
      : ctx.make('nn.matmul', [a2, b]);
    y = as.length === 2 ? y2 : ctx.make('reshape', [y2], { newshape: [...lead, bs[1]!] });
  } else {
    y = ctx.make('nn.batch_matmul', [a, b]);
  }
  const ys = ctx.type(y).shape;
  if (bs0.length === 1) y = ctx.make('squeeze', [y], { axis: [ys.length - 1] });
  if (as0.length === 1) y = ctx.make('squeeze', [y], { axis: [ctx.type(y).shape.length - (bs0.length === 1 ? 1 : 2)] });
  return y;
};

function pool(op: 'nn.max_pool2d' | 'nn.avg_pool2d'): Converter {
  return (ctx) => {
    const x = need4d(ctx);
    if ((ctx.node.output?.length ?? 1) > 1 && ctx.node.output![1]) throw new Error(`${ctx.where}: the Indices output is not supported`);
    const kernel = ctx.ints('kernel_shape');
    if (kernel.length !== 2) throw new Error(`${ctx.where}: only 2-D pooling is supported, kernel_shape is [${kernel.join(', ')}]`);
    const strides = ctx.ints('strides', [1, 1]);
    const dilation = ctx.ints('dilations', [1, 1]);
    const padding = pads2d(ctx, x.slice(2), kernel, strides, dilation);
    const attrs = { pool_size: kernel, strides, padding, dilation, ceil_mode: ctx.int('ceil_mode', 0) !== 0 };
    return ctx.make(op, [ctx.input(0)], op === 'nn.avg_pool2d' ? { ...attrs, count_include_pad: ctx.int('count_include_pad', 0) !== 0 } : attrs);
  };
}

/** Softmax before opset 13 flattens to 2-D at `axis` (default 1); from 13 it is along `axis` (default -1). */
function softmax(op: 'nn.softmax' | 'nn.log_softmax'): Converter {
  return (ctx) => {
    const x = ctx.input(0);
    const shape = ctx.type(x).shape;
    if (ctx.opset >= 13) return ctx.make(op, [x], { axis: ctx.int('axis', -1) });
    let axis = ctx.int('axis', 1);
    if (axis < 0) axis += shape.length;
    if (axis === shape.length - 1) return ctx.make(op, [x], { axis: -1 });
    const flat = ctx.make('reshape', [x], { newshape: [prod(shape.slice(0, axis)), prod(shape.slice(axis))] });
    return ctx.make('reshape', [ctx.make(op, [flat], { axis: -1 })], { newshape: [...shape] });
  };
}

const batchNorm: Converter = (ctx) => {
  if ((ctx.node.output ?? []).slice(1).some((o) => o)) throw new Error(`${ctx.where}: training-mode outputs (running mean/var) are not supported; export the model for inference`);
  return ctx.make('nn.batch_norm', [0, 1, 2, 3, 4].map((i) => ctx.input(i)), { axis: 1, epsilon: ctx.float('epsilon', 1e-5) });
};

const layerNorm: Converter = (ctx) => {
  const x = ctx.input(0);
  const shape = ctx.type(x).shape;
  let axis = ctx.int('axis', -1);
  if (axis < 0) axis += shape.length;
  if (axis !== shape.length - 1) throw new Error(`${ctx.where}: normalizing over axes ${axis}..${shape.length - 1} is not supported; only the last axis`);
  const c = shape[axis]!;
  const beta = ctx.optInput(2) ?? ctx.const({ shape: [c], dtype: 'float32', values: new Float32Array(c) });
  if ((ctx.node.output ?? []).slice(1).some((o) => o)) throw new Error(`${ctx.where}: the Mean/InvStdDev outputs are not supported`);
  return ctx.make('nn.layer_norm', [x, ctx.input(1), beta], { axis: -1, epsilon: ctx.float('epsilon', 1e-5) });
};

/** (x - mean_HW) / sqrt(var_HW + eps) · scale + B, decomposed as TVM's SimplifyInference does. */
const instanceNorm: Converter = (ctx) => {
  const x = ctx.input(0);
  const shape = ctx.type(x).shape;
  const axes = shape.slice(2).map((_, i) => i + 2);
  const mean = ctx.make('mean', [x], { axis: axes, keepdims: true });
  const centered = ctx.make('subtract', [x, mean]);
  const variance = ctx.make('mean', [ctx.make('multiply', [centered, centered])], { axis: axes, keepdims: true });
  const denom = ctx.make('sqrt', [ctx.make('add', [variance, scalar(ctx.float('epsilon', 1e-5))])]);
  const perChannel = [shape[1]!, ...shape.slice(2).map(() => 1)];
  const scale = ctx.make('reshape', [ctx.input(1)], { newshape: perChannel });
  const bias = ctx.make('reshape', [ctx.input(2)], { newshape: perChannel });
  return ctx.make('add', [ctx.make('multiply', [ctx.make('divide', [centered, denom]), scale]), bias]);
};

export const NN_CONVERTERS: Readonly<Record<string, Converter>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matmul,
  MaxPool: pool('nn.max_pool2d'),
  AveragePool: pool('nn.avg_pool2d'),
  GlobalAveragePool: (ctx) => (need4d(ctx), ctx.make('nn.global_avg_pool2d', [ctx.input(0)])),
  GlobalMaxPool: (ctx) => (need4d(ctx), ctx.make('nn.global_max_pool2d', [ctx.input(0)])),
  Softmax: softmax('nn.softmax'),
  LogSoftmax: softmax('nn.log_softmax'),
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  InstanceNormalization: instanceNorm,
  Dropout: (ctx) => ctx.make('nn.dropout', [ctx.input(0)]),
};
