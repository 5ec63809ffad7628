// relay/op/nn.ts — neural network operators (TVM's relay/op/nn names): convolutions, dense and
// matrix products, pooling, softmax, normalizations and dropout, with their shape relations.

import type { Attrs } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { boolAttr, fmtShape, intsAttr, layoutBlock, normAxis, numAttr, OpPattern, strAttr, type OpDef } from './op_def.js';
import { broadcastShapes } from './tensor_eval.js';

function need(x: TensorType, ndim: number, op: string, what: string): void {
  if (x.shape.length !== ndim) throw new RangeError(`${op}: ${what} must be ${ndim}-D, got ${fmtShape(x.shape)}`);
}

function floatIn(xs: readonly TensorType[], op: string): void {
  xs.forEach((x, i) => {
    if (x.dtype !== 'float32') throw new TypeError(`${op}: input ${i} must be float32, got ${x.dtype}`);
  });
}

/** Spatial output size of a convolution or pooling window (TVM's topi/nn/utils get_pad_tuple arithmetic). */
export function windowOut(size: number, k: number, stride: number, padA: number, padB: number, dil: number, ceil = false): number {
  const span = size + padA + padB - dil * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // The last window must start inside the input or its leading padding (PyTorch/ONNX Runtime rule).
  if (ceil && (out - 1) * stride >= size + padA) out--;
  return out;
}

export interface Conv2DAttrs {
  readonly strides: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

export function convAttrs(a: Attrs, op: string): Conv2DAttrs {
  const strides = intsAttr(a, op, 'strides', [1, 1]);
  const padding = intsAttr(a, op, 'padding', [0, 0, 0, 0]);
  const dilation = intsAttr(a, op, 'dilation', [1, 1]);
  if (strides.length !== 2 || dilation.length !== 2 || padding.length !== 4) {
    throw new RangeError(`${op}: strides and dilation need 2 values, padding 4 ([top, left, bottom, right])`);
  }
  return { strides, padding, dilation, groups: numAttr(a, op, 'groups', 1) };
}

function positive(shape: readonly number[], op: string, x: TensorType): TensorType {
  if (shape.some((d) => d <= 0)) throw new RangeError(`${op}: the output ${fmtShape(shape)} is empty (input ${fmtShape(x.shape)} is too small for the window)`);
  return tensorType(shape, x.dtype);
}

const conv2d: OpDef = {
  name: 'nn.conv2d', pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
  inferType([x, w], a) {
    const op = 'nn.conv2d';
    floatIn([x!, w!], op);
    need(x!, 4, op, 'the input (NCHW)');
    need(w!, 4, op, 'the weight (OIHW)');
    const { strides, padding, dilation, groups } = convAttrs(a, op);
    const [n, c, h, wd] = x!.shape as [number, number, number, number];
    const [o, ci, kh, kw] = w!.shape as [number, number, number, number];
    if (c % groups !== 0 || o % groups !== 0) throw new RangeError(`${op}: channels ${c} in / ${o} out are not divisible by groups ${groups}`);
    if (ci * groups !== c) throw new RangeError(`${op}: weight ${fmtShape(w!.shape)} expects ${ci * groups} input channels (groups ${groups}), input has ${c}`);
    return positive([n, o, windowOut(h, kh, strides[0]!, padding[0]!, padding[2]!, dilation[0]!), windowOut(wd, kw, strides[1]!, padding[1]!, padding[3]!, dilation[1]!)], op, x!);
  },
};

const conv2dTranspose: OpDef = {
  name: 'nn.conv2d_transpose', pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
  inferType([x, w], a) {
    const op = 'nn.conv2d_transpose';
    floatIn([x!, w!], op);
    need(x!, 4, op, 'the input (NCHW)');
    need(w!, 4, op, 'the weight ([C_in, C_out/groups, kh, kw])');
    const { strides, padding, dilation, groups } = convAttrs(a, op);
    const outPad = intsAttr(a, op, 'output_padding', [0, 0]);
    const [n, c, h, wd] = x!.shape as [number, number, number, number];
    const [ci, co, kh, kw] = w!.shape as [number, number, number, number];
    if (ci !== c) throw new RangeError(`${op}: weight ${fmtShape(w!.shape)} expects ${ci} input channels, input has ${c}`);
    const oh = (h - 1) * strides[0]! - padding[0]! - padding[2]! + dilation[0]! * (kh - 1) + outPad[0]! + 1;
    const ow = (wd - 1) * strides[1]! - padding[1]! - padding[3]! + dilation[1]! * (kw - 1) + outPad[1]! + 1;
    return positive([n, co * groups, oh, ow], op, x!);
  },
};

const dense: OpDef = {
  name: 'nn.dense', pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
  inferType([x, w]) {
    floatIn([x!, w!], 'nn.dense');
    need(x!, 2, 'nn.dense', 'the data');
    need(w!, 2, 'nn.dense', 'the weight ([units, in])');
    if (x!.shape[1] !== w!.shape[1]) throw new RangeError(`nn.dense: data ${fmtShape(x!.shape)} and weight ${fmtShape(w!.shape)} differ in the reduced dimension`);
    return tensorType([x!.shape[0]!, w!.shape[0]!], x!.dtype);
  },
};

const matmul: OpDef = {
  name: 'nn.matmul', pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
  inferType([x, y]) {
    floatIn([x!, y!], 'nn.matmul');
    need(x!, 2, 'nn.matmul', 'A');
    need(y!, 2, 'nn.matmul', 'B');
    if (x!.shape[1] !== y!.shape[0]) throw new RangeError(`nn.matmul: inner dimensions differ: ${fmtShape(x!.shape)} × ${fmtShape(y!.shape)}`);
    return tensorType([x!.shape[0]!, y!.shape[1]!], x!.dtype);
  },
};

const batchMatmul: OpDef = {
  name: 'nn.batch_matmul', pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
  inferType([x, y]) {
    const op = 'nn.batch_matmul';
    floatIn([x!, y!], op);
    if (x!.shape.length < 2 || y!.shape.length < 2) throw new RangeError(`${op}: both inputs need at least 2 dimensions, got ${fmtShape(x!.shape)} and ${fmtShape(y!.shape)}`);
    const [m, k] = x!.shape.slice(-2) as [number, number];
    const [k2, n] = y!.shape.slice(-2) as [number, number];
    if (k !== k2) throw new RangeError(`${op}: inner dimensions differ: ${fmtShape(x!.shape)} × ${fmtShape(y!.shape)}`);
    return tensorType([...broadcastShapes(x!.shape.slice(0, -2), y!.shape.slice(0, -2), op), m, n], x!.dtype);
  },
};

export function poolAttrs(a: Attrs, op: string): { size: readonly number[]; strides: readonly number[]; padding: readonly number[]; dilation: readonly number[]; ceil: boolean } {
  return {
    size: intsAttr(a, op, 'pool_size'), strides: intsAttr(a, op, 'strides', [1, 1]), padding: intsAttr(a, op, 'padding', [0, 0, 0, 0]),
    dilation: intsAttr(a, op, 'dilation', [1, 1]), ceil: boolAttr(a, 'ceil_mode', false),
  };
}

/**
 * The pool's `layout` attribute (TVM's pool2d layout): 'NCHW' (default, input [N, C, H, W]) or 'NCHW{b}c'
 * (packed input [N, C/b, H, W, b], as AlterOpLayout leaves it); returns the block b, undefined for NCHW.
 */
export function poolLayout(x: TensorType, a: Attrs, op: string): number | undefined {
  const block = layoutBlock(strAttr(a, op, 'layout', 'NCHW'), op);
  if (block === undefined) need(x, 4, op, 'the input (NCHW)');
  else if (x.shape.length !== 5 || x.shape[4] !== block) throw new RangeError(`${op}: the input must be NCHW${block}c [N, C/${block}, H, W, ${block}] for layout 'NCHW${block}c', got ${fmtShape(x.shape)}`);
  return block;
}

function pool(name: string): OpDef {
  return {
    name, pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 1,
    inferType([x], a) {
      floatIn([x!], name);
      const block = poolLayout(x!, a, name);
      const p = poolAttrs(a, name);
      const [n, c, h, w] = x!.shape as [number, number, number, number];
      return positive([n, c, windowOut(h, p.size[0]!, p.strides[0]!, p.padding[0]!, p.padding[2]!, p.dilation[0]!, p.ceil),
        windowOut(w, p.size[1]!, p.strides[1]!, p.padding[1]!, p.padding[3]!, p.dilation[1]!, p.ceil), ...(block === undefined ? [] : [block])], name, x!);
    },
  };
}

function globalPool(name: string): OpDef {
  return {
    name, pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 1,
    inferType([x], a) {
      floatIn([x!], name);
      const block = poolLayout(x!, a, name);
      return tensorType([x!.shape[0]!, x!.shape[1]!, 1, 1, ...(block === undefined ? [] : [block])], x!.dtype);
    },
  };
}

function sameAs(name: string, arity: number, pattern: OpDef['pattern'], check?: (xs: readonly TensorType[], a: Attrs) => void): OpDef {
  return {
    name, pattern, arity,
    inferType(xs, a) {
      floatIn(xs, name);
      check?.(xs, a);
      return xs[0]!;
    },
  };
}

/** gamma/beta/mean/var of length C along `axis` for batch norm. */
function checkChannelParams(xs: readonly TensorType[], a: Attrs, op: string): void {
  const ax = normAxis(numAttr(a, op, 'axis', 1), xs[0]!.shape.length, op);
  const c = xs[0]!.shape[ax]!;
  xs.slice(1).forEach((p, i) => {
    if (p.shape.length !== 1 || p.shape[0] !== c) throw new RangeError(`${op}: parameter ${i + 1} has shape ${fmtShape(p.shape)}, expected [${c}] (axis ${ax} of ${fmtShape(xs[0]!.shape)})`);
  });
}

export const NN_OPS: readonly OpDef[] = [
  conv2d, conv2dTranspose, dense, matmul, batchMatmul,
  pool('nn.max_pool2d'), pool('nn.avg_pool2d'), globalPool('nn.global_avg_pool2d'), globalPool('nn.global_max_pool2d'),
  sameAs('nn.softmax', 1, OpPattern.OPAQUE, ([x], a) => void normAxis(numAttr(a, 'nn.softmax', 'axis', -1), x!.shape.length, 'nn.softmax')),
  sameAs('nn.log_softmax', 1, OpPattern.OPAQUE, ([x], a) => void normAxis(numAttr(a, 'nn.log_softmax', 'axis', -1), x!.shape.length, 'nn.log_softmax')),
  sameAs('nn.batch_norm', 5, OpPattern.OPAQUE, (xs, a) => checkChannelParams(xs, a, 'nn.batch_norm')),
  sameAs('nn.layer_norm', 3, OpPattern.OPAQUE, ([x, g, b], a) => {
    const ax = normAxis(numAttr(a, 'nn.layer_norm', 'axis', -1), x!.shape.length, 'nn.layer_norm');
    const tail = x!.shape.slice(ax);
    for (const [p, what] of [[g!, 'gamma'], [b!, 'beta']] as const) {
      broadcastShapes(p.shape, tail, `nn.layer_norm ${what}`);
    }
  }),
  sameAs('nn.dropout', 1, OpPattern.OPAQUE),
];
