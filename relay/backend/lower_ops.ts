// relay/backend/lower_ops.ts — each relay operator as calls of the operator library (ops/) on te
// tensors: the compute side of a fused function (TVM's FTVMCompute per op). Scalar constants come
// in as numbers; `tile` is a te.compute of its own (the library has no tile).

import * as ops from '../../ops/index.js';
import { compute, type Tensor } from '../../schedule/tensor.js';
import type { Attrs } from '../nodes.js';
import { BATCH_MATMUL_PACK } from '../op/batch_matmul_pack.js';
import { GEMM_CONV, GEMM_CONV_NCHWC } from '../op/conv2d_gemm.js';
import { CONV_PACKED } from '../op/conv2d_packed.js';
import { CONST_WEIGHT, DENSE_PACK, packSource } from '../op/dense_pack.js';
import { layoutBlock } from '../op/layout.js';
import { boolAttr, intsAttr, numAttr, strAttr } from '../op/op_def.js';
import { reduceAxes } from '../op/reduce.js';
import type { RelayDType } from '../ty.js';

/** An argument of a lowered call: a te tensor, or a scalar constant inlined as a number. */
export type LowerArg = Tensor | number;

type Lowering = (args: readonly LowerArg[], attrs: Attrs) => Tensor;

function t(a: LowerArg | undefined, op: string, i: number): Tensor {
  if (typeof a === 'number' || a === undefined) throw new TypeError(`${op}: argument ${i} must be a tensor here, got ${a === undefined ? 'nothing' : `the scalar ${a}`}`);
  return a;
}

const FLT_MAX = 3.4028234663852886e38;
const finite = (v: number): number => Math.max(-FLT_MAX, Math.min(FLT_MAX, v));

const binary = (fn: (a: ops.Operand, b: ops.Operand) => Tensor): Lowering => ([a, b]) => fn(a!, b!);
const unary = (op: string, fn: (x: Tensor) => Tensor): Lowering => ([x]) => fn(t(x, op, 0));

function tile(x: Tensor, reps: readonly number[]): Tensor {
  const shape = x.dims.map((d, i) => d * reps[i]!);
  return compute(shape, (...idx) => x.at(...idx.map((v, i) => v.floormod(x.dims[i]!))), 'tile', { tag: 'tile' });
}

const LOWERINGS: Readonly<Record<string, Lowering>> = {
  add: binary(ops.add), subtract: binary(ops.sub), multiply: binary(ops.mul), divide: binary(ops.div),
  power: binary(ops.pow), maximum: binary(ops.maximum), minimum: binary(ops.minimum),
  sqrt: unary('sqrt', ops.sqrt), exp: unary('exp', ops.exp), log: unary('log', ops.log), abs: unary('abs', ops.abs),
  negative: unary('negative', ops.neg), erf: unary('erf', ops.erf), tanh: unary('tanh', ops.tanh), sigmoid: unary('sigmoid', ops.sigmoid),
  'nn.relu': unary('nn.relu', ops.relu),
  'nn.leaky_relu': ([x], a) => ops.leakyRelu(t(x, 'nn.leaky_relu', 0), numAttr(a, 'nn.leaky_relu', 'alpha', 0.01)),
  clip: ([x], a) => ops.clip(t(x, 'clip', 0), finite(numAttr(a, 'clip', 'a_min', -FLT_MAX)), finite(numAttr(a, 'clip', 'a_max', FLT_MAX))),
  hard_sigmoid: ([x], a) => ops.hardSigmoid(t(x, 'hard_sigmoid', 0), numAttr(a, 'hard_sigmoid', 'alpha', 0.2), numAttr(a, 'hard_sigmoid', 'beta', 0.5)),
  hard_swish: unary('hard_swish', ops.hardSwish),
  gelu: ([x], a) => ops.gelu(t(x, 'gelu', 0), { approximate: strAttr(a, 'gelu', 'approximate', 'none') === 'tanh' ? 'tanh' : 'none' }),
  cast: ([x], a) => ops.cast(t(x, 'cast', 0), strAttr(a, 'cast', 'dtype') as RelayDType),
  where: ([c, a, b]) => ops.where(t(c, 'where', 0), a!, b!),
  reshape: ([x], a) => ops.reshape(t(x, 'reshape', 0), intsAttr(a, 'reshape', 'newshape')),
  transpose: ([x], a) => ops.transpose(t(x, 'transpose', 0), a['axes'] === undefined ? undefined : intsAttr(a, 'transpose', 'axes')),
  squeeze: ([x], a) => ops.squeeze(t(x, 'squeeze', 0), intsAttr(a, 'squeeze', 'axis')),
  expand_dims: ([x], a) => ops.expandDims(t(x, 'expand_dims', 0), numAttr(a, 'expand_dims', 'axis'), numAttr(a, 'expand_dims', 'num', 1)),
  concatenate: (xs, a) => ops.concatenate(xs.map((x, i) => t(x, 'concatenate', i)), numAttr(a, 'concatenate', 'axis')),
  strided_slice: ([x], a) => ops.stridedSlice(t(x, 'strided_slice', 0), intsAttr(a, 'strided_slice', 'begin'), intsAttr(a, 'strided_slice', 'end'),
    a['strides'] === undefined ? undefined : intsAttr(a, 'strided_slice', 'strides'), a['axes'] === undefined ? undefined : intsAttr(a, 'strided_slice', 'axes')),
  take: ([x, i], a) => ops.take(t(x, 'take', 0), typeof i === 'number' ? i : t(i, 'take', 1), numAttr(a, 'take', 'axis', 0)),
  'nn.pad': ([x], a) => ops.pad(t(x, 'nn.pad', 0), intsAttr(a, 'nn.pad', 'pad_before'), intsAttr(a, 'nn.pad', 'pad_after'),
    { mode: strAttr(a, 'nn.pad', 'pad_mode', 'constant') as ops.PadMode, value: numAttr(a, 'nn.pad', 'pad_value', 0) }),
  broadcast_to: ([x], a) => ops.broadcastTo(t(x, 'broadcast_to', 0), intsAttr(a, 'broadcast_to', 'shape')),
  tile: ([x], a) => tile(t(x, 'tile', 0), intsAttr(a, 'tile', 'reps')),
  'image.resize2d': ([x], a) => ops.resize2d(t(x, 'image.resize2d', 0), {
    size: intsAttr(a, 'image.resize2d', 'size'), method: strAttr(a, 'image.resize2d', 'method', 'nearest') as 'nearest' | 'linear',
    coordinateTransformationMode: strAttr(a, 'image.resize2d', 'coordinate_transformation_mode', 'half_pixel') as ops.CoordinateTransformationMode,
    nearestMode: strAttr(a, 'image.resize2d', 'nearest_mode', 'round_prefer_floor') as ops.NearestMode,
  }),
  sum: ([x], a) => reduce(ops.sum, t(x, 'sum', 0), a, 'sum'),
  mean: ([x], a) => reduce(ops.mean, t(x, 'mean', 0), a, 'mean'),
  max: ([x], a) => reduce(ops.max, t(x, 'max', 0), a, 'max'),
  min: ([x], a) => reduce(ops.min, t(x, 'min', 0), a, 'min'),
  'nn.conv2d': ([x, w], a) => ops.conv2d(t(x, 'nn.conv2d', 0), t(w, 'nn.conv2d', 1), {
    strides: intsAttr(a, 'nn.conv2d', 'strides'), padding: intsAttr(a, 'nn.conv2d', 'padding'),
    dilation: intsAttr(a, 'nn.conv2d', 'dilation'), groups: numAttr(a, 'nn.conv2d', 'groups', 1),
  }),
  'nn.conv2d_transpose': ([x, w], a) => ops.conv2dTranspose(t(x, 'nn.conv2d_transpose', 0), t(w, 'nn.conv2d_transpose', 1), {
    strides: intsAttr(a, 'nn.conv2d_transpose', 'strides'), padding: intsAttr(a, 'nn.conv2d_transpose', 'padding'),
    outputPadding: intsAttr(a, 'nn.conv2d_transpose', 'output_padding', [0, 0]), dilation: intsAttr(a, 'nn.conv2d_transpose', 'dilation'),
    groups: numAttr(a, 'nn.conv2d_transpose', 'groups', 1),
  }),
  'nn.contrib_conv2d_NCHWc': ([x, w], a) => ops.conv2dNCHWc(t(x, 'nn.contrib_conv2d_NCHWc', 0), t(w, 'nn.contrib_conv2d_NCHWc', 1), {
    strides: intsAttr(a, 'nn.contrib_conv2d_NCHWc', 'strides'), padding: intsAttr(a, 'nn.contrib_conv2d_NCHWc', 'padding'),
    dilation: intsAttr(a, 'nn.contrib_conv2d_NCHWc', 'dilation'),
  }),
  'nn.contrib_depthwise_conv2d_NCHWc': ([x, w], a) => ops.depthwiseConv2dNCHWc(t(x, 'nn.contrib_depthwise_conv2d_NCHWc', 0), t(w, 'nn.contrib_depthwise_conv2d_NCHWc', 1), {
    strides: intsAttr(a, 'nn.contrib_depthwise_conv2d_NCHWc', 'strides'), padding: intsAttr(a, 'nn.contrib_depthwise_conv2d_NCHWc', 'padding'),
    dilation: intsAttr(a, 'nn.contrib_depthwise_conv2d_NCHWc', 'dilation'),
  }),
  // The weight is [α², O, C] (α = tile_size + 2), transformed on the host (FoldConstant of
  // nn.contrib_conv2d_winograd_weight_transform); the op's type check took tile_size 2 or 4 only.
  'nn.contrib_conv2d_winograd_without_weight_transform': ([x, w], a) => ops.conv2dWinograd(t(x, 'nn.contrib_conv2d_winograd_without_weight_transform', 0),
    t(w, 'nn.contrib_conv2d_winograd_without_weight_transform', 1), {
      padding: intsAttr(a, 'nn.contrib_conv2d_winograd_without_weight_transform', 'padding'),
      tileSize: numAttr(a, 'nn.contrib_conv2d_winograd_without_weight_transform', 'tile_size', 2) as ops.WinogradTileSize,
    }),
  // The weight is [O, C·KH·KW] (a reshape of the OIHW constant, folded on the host); the product's [N, O, OH·OW] is
  // the NCHW output with its spatial axes as one, viewed as [N, O, OH, OW] (an injective stage: the epilogue follows it).
  [GEMM_CONV]: ([x, w], a) => {
    const Y = ops.conv2dGemm(t(x, GEMM_CONV, 0), t(w, GEMM_CONV, 1), {
      strides: intsAttr(a, GEMM_CONV, 'strides'), padding: intsAttr(a, GEMM_CONV, 'padding'), dilation: intsAttr(a, GEMM_CONV, 'dilation'),
      kernelSize: intsAttr(a, GEMM_CONV, 'kernel_size') as [number, number],
    });
    return ops.reshape(Y, (Y.op as { attrs: Record<string, unknown> }).attrs['out_shape'] as number[]);
  },
  // The weight is the NCHWc-packed constant viewed as panels [O/ocb, C·KH·KW, ocb]; the output is NCHW{ocb}c itself.
  [GEMM_CONV_NCHWC]: ([x, w], a) => ops.conv2dGemmNCHWc(t(x, GEMM_CONV_NCHWC, 0), t(w, GEMM_CONV_NCHWC, 1), {
    strides: intsAttr(a, GEMM_CONV_NCHWC, 'strides'), padding: intsAttr(a, GEMM_CONV_NCHWC, 'padding'), dilation: intsAttr(a, GEMM_CONV_NCHWC, 'dilation'),
    kernelSize: intsAttr(a, GEMM_CONV_NCHWC, 'kernel_size') as [number, number],
  }),
  // The weight is [⌈O/ob⌉, C, KH, KW, ob], packed on the host at build time (AlterConvWeightWebGPU); the output NCHW.
  [CONV_PACKED]: ([x, w], a) => ops.conv2dPackedWeight(t(x, CONV_PACKED, 0), t(w, CONV_PACKED, 1), {
    strides: intsAttr(a, CONV_PACKED, 'strides'), padding: intsAttr(a, CONV_PACKED, 'padding'), dilation: intsAttr(a, CONV_PACKED, 'dilation'),
    channels: numAttr(a, CONV_PACKED, 'channels'),
  }),
  layout_transform: ([x], a) => {
    const dst = layoutBlock(strAttr(a, 'layout_transform', 'dst_layout'), 'layout_transform');
    return dst === undefined ? ops.unpackOutput(t(x, 'layout_transform', 0)) : ops.packData(t(x, 'layout_transform', 0), dst);
  },
  // const_weight (AlterDenseLayout, wasm): the weight is a model constant, so the prepacked task's record schedules it.
  'nn.dense': ([x, w], a) => ops.dense(t(x, 'nn.dense', 0), t(w, 'nn.dense', 1), undefined, 'Y', { constB: boolAttr(a, CONST_WEIGHT, false) }),
  // The weight is panels [⌈units/bn⌉, K, bn], packed on the host (FoldConstant of nn.contrib_dense_weight_pack).
  [DENSE_PACK]: ([x, w], a) => ops.densePack(t(x, DENSE_PACK, 0), t(w, DENSE_PACK, 1), numAttr(a, DENSE_PACK, 'units'), packSource(a, DENSE_PACK)),
  [BATCH_MATMUL_PACK]: ([x, w], a) => ops.batchMatmulPack(t(x, BATCH_MATMUL_PACK, 0), t(w, BATCH_MATMUL_PACK, 1), numAttr(a, BATCH_MATMUL_PACK, 'units')),
  'nn.matmul': ([x, y], a) => ops.matmul(t(x, 'nn.matmul', 0), t(y, 'nn.matmul', 1), 'C', { constB: boolAttr(a, CONST_WEIGHT, false) }),
  'nn.batch_matmul': ([x, y], a) => ops.batchMatmul(t(x, 'nn.batch_matmul', 0), t(y, 'nn.batch_matmul', 1), 'C', { constB: boolAttr(a, CONST_WEIGHT, false) }),
  'nn.max_pool2d': ([x], a) => ops.maxPool2d(t(x, 'nn.max_pool2d', 0), poolOptions(a, 'nn.max_pool2d')),
  'nn.avg_pool2d': ([x], a) => ops.avgPool2d(t(x, 'nn.avg_pool2d', 0), { ...poolOptions(a, 'nn.avg_pool2d'), countIncludePad: boolAttr(a, 'count_include_pad', false) }),
  // Packed (layout 'NCHW{b}c', 5-D): the same reduction over H and W, the block lane kept.
  'nn.global_avg_pool2d': ([x], a) => (packed(a, 'nn.global_avg_pool2d') ? ops.mean(t(x, 'nn.global_avg_pool2d', 0), [2, 3], true) : ops.globalAvgPool2d(t(x, 'nn.global_avg_pool2d', 0))),
  'nn.global_max_pool2d': ([x], a) => (packed(a, 'nn.global_max_pool2d') ? ops.max(t(x, 'nn.global_max_pool2d', 0), [2, 3], true) : ops.globalMaxPool2d(t(x, 'nn.global_max_pool2d', 0))),
  'nn.softmax': ([x], a) => ops.softmax(t(x, 'nn.softmax', 0), numAttr(a, 'nn.softmax', 'axis', -1)),
  'nn.log_softmax': ([x], a) => ops.logSoftmax(t(x, 'nn.log_softmax', 0), numAttr(a, 'nn.log_softmax', 'axis', -1)),
  'nn.layer_norm': ([x, g, b], a) => ops.layerNorm(t(x, 'nn.layer_norm', 0), t(g, 'nn.layer_norm', 1), t(b, 'nn.layer_norm', 2),
    { axis: numAttr(a, 'nn.layer_norm', 'axis', -1), epsilon: numAttr(a, 'nn.layer_norm', 'epsilon', 1e-5) }),
  'nn.batch_norm': (xs, a) => ops.batchNorm(t(xs[0], 'nn.batch_norm', 0), t(xs[1], 'nn.batch_norm', 1), t(xs[2], 'nn.batch_norm', 2),
    t(xs[3], 'nn.batch_norm', 3), t(xs[4], 'nn.batch_norm', 4), { axis: numAttr(a, 'nn.batch_norm', 'axis', 1), epsilon: numAttr(a, 'nn.batch_norm', 'epsilon', 1e-5) }),
};

/** Whether a pool's `layout` attribute is packed NCHW{b}c. */
function packed(a: Attrs, op: string): boolean {
  return layoutBlock(strAttr(a, op, 'layout', 'NCHW'), op) !== undefined;
}

function poolOptions(a: Attrs, op: string): ops.Pool2dOptions {
  return {
    layout: packed(a, op) ? 'NCHWc' : 'NCHW',
    kernel: intsAttr(a, op, 'pool_size'), strides: intsAttr(a, op, 'strides', [1, 1]), padding: intsAttr(a, op, 'padding', [0, 0, 0, 0]),
    dilation: intsAttr(a, op, 'dilation', [1, 1]), ceilMode: boolAttr(a, 'ceil_mode', false),
  };
}

function reduce(fn: (x: Tensor, axes?: readonly number[], keepdims?: boolean) => Tensor, x: Tensor, a: Attrs, op: string): Tensor {
  return fn(x, reduceAxes(a, x.ndim, op), boolAttr(a, 'keepdims', false));
}

/** The te tensor computing relay operator `op` on `args`; an op without a lowering is an error naming it. */
export function lowerCall(op: string, args: readonly LowerArg[], attrs: Attrs): Tensor {
  const f = LOWERINGS[op];
  if (f === undefined) {
    const hint = op === 'nn.contrib_conv2d_winograd_weight_transform' || op === 'nn.contrib_dense_weight_pack' ? 'it runs on the host: FoldConstant evaluates it on a constant weight' : 'run SimplifyInference for nn.dropout';
    throw new Error(`relay.build: operator '${op}' has no lowering to the operator library (${hint})`);
  }
  return f(args, attrs);
}
