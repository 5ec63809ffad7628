// ops/templates/workloads.ts — the workload of each anchor op as tuning tasks write it (template args:
// tensor shapes, then attributes, then an optional epilogue), and the compute a template rebuilds from it.

import { constValue, sigmoid } from '../../schedule/expr.js';
import type { Expr } from '../../schedule/expr.js';
import { compute, placeholder, type Tensor } from '../../schedule/tensor.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';
import { batchMatmul, dense, matmul } from '../matmul.js';
import { conv2d } from '../nn/conv2d.js';
import { conv2dTranspose } from '../nn/conv2d_transpose.js';
import { conv2dNCHWc } from '../nn/conv2d_nchwc.js';
import { conv2dWinograd } from '../nn/conv2d_winograd.js';
import { conv2dGemm } from '../nn/conv2d_gemm.js';
import { conv2dGemmNCHWc } from '../nn/conv2d_gemm_nchwc.js';
import { conv2dPackedWeight } from '../nn/conv2d_packed.js';
import { depthwiseConv2dNCHWc } from '../nn/depthwise_conv2d_nchwc.js';

/** Anchor op tags that have tunable templates. */
import { ANCHOR_TAGS, isAnchorTag, type AnchorTag } from '../tags.js';
export { ANCHOR_TAGS, isAnchorTag, type AnchorTag };

/**
 * Epilogue steps a template can fuse, applied in order to the anchor's output: 'bias' (+ b[channel], a
 * [C] input), 'relu', 'relu6', 'sigmoid', 'residual' (+ R, an input of the output's shape).
 */
export const EPILOGUE_STEPS = ['bias', 'relu', 'relu6', 'sigmoid', 'residual'] as const;
export type EpilogueStep = (typeof EPILOGUE_STEPS)[number];

const tensorArg = (t: readonly number[]): WorkloadArg => ['TENSOR', [...t], 'float32'];

/**
 * The workload args of an anchor tensor, from the attrs its op carries: conv2d_nchw
 * [X, W, strides, padding, dilation, groups]; depthwise_conv2d_nchw and conv2d_NCHWc (packed X and W)
 * [X, W, strides, padding, dilation], as depthwise_conv2d_NCHWc (packed X [N, C/b, H, W, b], W
 * [C/b, 1, KH, KW, 1, b]), conv2d_gemm (W the OIHW weight; its kernel reads the [O, C·KH·KW] view), conv2d_gemm_NCHWc (X and W as
 * conv2d_NCHWc's; its kernel reads W as panels [O/ocb, C·KH·KW, ocb]); conv2d_nchw_packed [X, W [⌈O/ob⌉, C, KH, KW, ob],
 * strides, padding, dilation, O]; conv2d_winograd and conv2d_winograd_m4 (3×3, stride 1; F(2×2) and F(4×4)) [X, W, padding];
 * conv2d_transpose_nchw [X, W, strides, padding, output_padding, dilation, groups]; dense/matmul/
 * batch_matmul [A, B].
 */
export function anchorArgs(anchor: Tensor): WorkloadArg[] {
  const op = anchor.op;
  if (op.kind !== 'compute' || !isAnchorTag(op.tag)) throw new TypeError(`taskOf: ${anchor.name} is not an anchor op (tags: ${ANCHOR_TAGS.join(', ')})`);
  const a = op.attrs as Record<string, readonly number[] | number>;
  const list = (v: unknown): WorkloadArg => [...(v as number[])];
  switch (op.tag) {
    case 'conv2d_nchw':
      return [tensorArg(a.data_shape as number[]), tensorArg(a.kernel_shape as number[]), list(a.strides), list(a.padding), list(a.dilation), a.groups as number];
    case 'depthwise_conv2d_nchw':
    case 'conv2d_NCHWc':
    case 'depthwise_conv2d_NCHWc':
    case 'conv2d_gemm':
    case 'conv2d_gemm_NCHWc':
      return [tensorArg(a.data_shape as number[]), tensorArg(a.kernel_shape as number[]), list(a.strides), list(a.padding), list(a.dilation)];
    case 'conv2d_nchw_packed':
      return [tensorArg(a.data_shape as number[]), tensorArg(a.kernel_shape as number[]), list(a.strides), list(a.padding), list(a.dilation), a.channels as number];
    case 'conv2d_transpose_nchw':
      return [tensorArg(a.data_shape as number[]), tensorArg(a.kernel_shape as number[]), list(a.strides), list(a.padding), list(a.output_padding), list(a.dilation), a.groups as number];
    case 'conv2d_winograd':
    case 'conv2d_winograd_m4':
      return [tensorArg(a.data_shape as number[]), tensorArg(a.kernel_shape as number[]), list(a.padding)];
    default:
      return [tensorArg(a.a_shape as number[]), tensorArg(a.b_shape as number[])];
  }
}

type Arg = unknown;
const nums = (v: Arg, what: string): number[] => {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new TypeError(`template: ${what} must be a list of numbers, got ${JSON.stringify(v)}`);
  return v as number[];
};
const tensor = (v: Arg, what: string): Tensor => {
  if (typeof v !== 'object' || v === null || !('op' in v)) throw new TypeError(`template: ${what} must be a tensor argument`);
  return v as Tensor;
};

/** The anchor compute of template `tag` from its args (placeholders already made), and the rest of the args. */
export function anchorCompute(tag: AnchorTag, args: readonly Arg[]): { inputs: Tensor[]; anchor: Tensor; rest: readonly Arg[] } {
  const X = tensor(args[0], 'argument 0');
  const W = tensor(args[1], 'argument 1');
  switch (tag) {
    case 'conv2d_nchw':
    case 'depthwise_conv2d_nchw': {
      const dw = tag === 'depthwise_conv2d_nchw';
      const groups = dw ? X.dims[1]! : (args[5] as number);
      const Y = conv2d(X, W, { strides: nums(args[2], 'strides'), padding: nums(args[3], 'padding'), dilation: nums(args[4], 'dilation'), groups });
      const got = (Y.op as { tag: string }).tag;
      if (got !== tag) throw new TypeError(`template ${tag}: these args make a ${got} (use the ${got} template)`);
      return { inputs: [X, W], anchor: Y, rest: args.slice(dw ? 5 : 6) };
    }
    case 'conv2d_NCHWc': {
      const Y = conv2dNCHWc(X, W, { strides: nums(args[2], 'strides'), padding: nums(args[3], 'padding'), dilation: nums(args[4], 'dilation') });
      return { inputs: [X, W], anchor: Y, rest: args.slice(5) };
    }
    case 'depthwise_conv2d_NCHWc': {
      const Y = depthwiseConv2dNCHWc(X, W, { strides: nums(args[2], 'strides'), padding: nums(args[3], 'padding'), dilation: nums(args[4], 'dilation') });
      return { inputs: [X, W], anchor: Y, rest: args.slice(5) };
    }
    case 'conv2d_gemm': {
      // The workload names the OIHW weight; the kernel reads it as [O, C·KH·KW] rows (the same memory).
      if (W.ndim !== 4) throw new RangeError(`template conv2d_gemm: argument 1 must be the OIHW weight [O, C, KH, KW], got [${W.dims.join(', ')}]`);
      const [O, C, KH, KW] = W.dims as [number, number, number, number];
      const W2 = placeholder([O, C * KH * KW], 'float32', W.name);
      const Y = conv2dGemm(X, W2, { strides: nums(args[2], 'strides'), padding: nums(args[3], 'padding'), dilation: nums(args[4], 'dilation'), kernelSize: [KH, KW] });
      return { inputs: [X, W2], anchor: Y, rest: args.slice(5) };
    }
    case 'conv2d_gemm_NCHWc': {
      // The workload is conv2d_NCHWc's (the packed weight [O/ocb, C/icb, KH, KW, icb, ocb]); the kernel reads it as
      // panels [O/ocb, C·KH·KW, ocb] (the same memory).
      if (W.ndim !== 6) throw new RangeError(`template conv2d_gemm_NCHWc: argument 1 must be the packed weight [O/ocb, C/icb, KH, KW, icb, ocb], got [${W.dims.join(', ')}]`);
      const [Ob, Cb, KH, KW, icb, ocb] = W.dims as [number, number, number, number, number, number];
      const W3 = placeholder([Ob, Cb * KH * KW * icb, ocb], 'float32', W.name);
      const Y = conv2dGemmNCHWc(X, W3, { strides: nums(args[2], 'strides'), padding: nums(args[3], 'padding'), dilation: nums(args[4], 'dilation'), kernelSize: [KH, KW] });
      return { inputs: [X, W3], anchor: Y, rest: args.slice(5) };
    }
    case 'conv2d_nchw_packed': {
      if (typeof args[5] !== 'number') throw new TypeError(`template conv2d_nchw_packed: argument 5 must be the output channel count O, got ${JSON.stringify(args[5])}`);
      const Y = conv2dPackedWeight(X, W, { strides: nums(args[2], 'strides'), padding: nums(args[3], 'padding'), dilation: nums(args[4], 'dilation'), channels: args[5] });
      return { inputs: [X, W], anchor: Y, rest: args.slice(6) };
    }
    case 'conv2d_winograd':
    case 'conv2d_winograd_m4':
      return { inputs: [X, W], anchor: conv2dWinograd(X, W, { padding: nums(args[2], 'padding'), tileSize: tag === 'conv2d_winograd' ? 2 : 4 }), rest: args.slice(3) };
    case 'conv2d_transpose_nchw': {
      const Y = conv2dTranspose(X, W, { strides: nums(args[2], 'strides'), padding: nums(args[3], 'padding'), outputPadding: nums(args[4], 'output_padding'), dilation: nums(args[5], 'dilation'), groups: args[6] as number });
      return { inputs: [X, W], anchor: Y, rest: args.slice(7) };
    }
    case 'dense':
      return { inputs: [X, W], anchor: dense(X, W), rest: args.slice(2) };
    case 'matmul':
      return { inputs: [X, W], anchor: matmul(X, W), rest: args.slice(2) };
    case 'batch_matmul':
      return { inputs: [X, W], anchor: batchMatmul(X, W), rest: args.slice(2) };
  }
}

/**
 * Applies epilogue `steps` to Y ('bias' is indexed by the channel axes `axes`: [1] for NCHW, [1, 4] for
 * NCHW[x]c, [last] for products); returns the output and the extra inputs (bias, residual) in step order.
 * Each step is its own injective stage, as graph ops are.
 */
export function applyEpilogue(Y: Tensor, steps: readonly unknown[], axes: readonly number[]): { out: Tensor; extra: Tensor[] } {
  let cur = Y;
  const extra: Tensor[] = [];
  steps.forEach((step, i) => {
    if (!(EPILOGUE_STEPS as readonly unknown[]).includes(step)) {
      throw new RangeError(`template: epilogue step ${JSON.stringify(step)} is unknown (steps: ${EPILOGUE_STEPS.join(', ')})`);
    }
    const x = cur;
    const body = (f: (v: Expr, idx: Expr[]) => Expr) => compute(x.dims, (...idx) => f(x.at(...idx), idx), `epilogue${i}_${String(step)}`, { tag: step === 'bias' ? 'broadcast' : 'elemwise' });
    switch (step as EpilogueStep) {
      case 'bias': {
        const b = placeholder(axes.map((a) => x.dims[a]!), 'float32', 'bias');
        extra.push(b);
        cur = body((v, idx) => v.add(b.at(...axes.map((a) => idx[a]!))));
        break;
      }
      case 'relu': cur = body((v) => v.max(constValue(0))); break;
      case 'relu6': cur = body((v) => v.max(constValue(0)).min(constValue(6))); break;
      case 'sigmoid': cur = body((v) => sigmoid(v)); break;
      case 'residual': {
        const r = placeholder(x.dims, 'float32', 'residual');
        extra.push(r);
        cur = body((v, idx) => v.add(r.at(...idx)));
        break;
      }
    }
  });
  return { out: cur, extra };
}
