// relay/op/conv2d_gemm.ts — the im2col + gemm convolution AlterOpLayout introduces on wasm (TVM's relay/op/nn
// nn.contrib_conv2d_gemm_without_weight_transform): NCHW data, the OIHW weight as [O, C·KH·KW] rows (a reshape of
// the constant, folded on the host at build time), NCHW output; lowered to ops.conv2dGemm (template conv2d_gemm.wasm).

import type { Attrs } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { convAttrs, windowOut } from './nn.js';
import { fmtShape, intsAttr, OpPattern, type OpDef } from './op_def.js';

export const GEMM_CONV = 'nn.contrib_conv2d_gemm_without_weight_transform';

/**
 * data [N, C, H, W] and a weight [O, C·KH·KW] (attr kernel_size [KH, KW]) → [N, O, OH, OW] of the convolution with
 * the attrs' strides, padding, dilation; groups must be 1. Float32 only. RangeError/TypeError naming the op otherwise.
 */
function gemmConvType(x: TensorType, w: TensorType, a: Attrs): TensorType {
  const op = GEMM_CONV;
  const { strides, padding, dilation, groups } = convAttrs(a, op);
  const ks = intsAttr(a, op, 'kernel_size');
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw new TypeError(`${op}: data and weight must be float32, got ${x.dtype} and ${w.dtype}`);
  if (groups !== 1) throw new RangeError(`${op}: groups must be 1, got ${groups}`);
  if (ks.length !== 2) throw new RangeError(`${op}: kernel_size must be [KH, KW], got ${fmtShape(ks)}`);
  const [KH, KW] = ks as [number, number];
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, k] = w.shape as [number, number];
  if (x.shape.length !== 4 || w.shape.length !== 2 || k !== c * KH * KW) {
    throw new RangeError(`${op}: needs data [N, C, H, W] and a weight [O, C·KH·KW] = [O, ${c * KH * KW}] for kernel ${KH}×${KW}, got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  }
  const oh = windowOut(h, KH, strides[0]!, padding[0]!, padding[2]!, dilation[0]!);
  const ow = windowOut(wd, KW, strides[1]!, padding[1]!, padding[3]!, dilation[1]!);
  if (oh <= 0 || ow <= 0) throw new RangeError(`${op}: the output [${n}, ${o}, ${oh}, ${ow}] is empty (input ${fmtShape(x.shape)} is too small for the window)`);
  return tensorType([n, o, oh, ow], x.dtype);
}

export const GEMM_CONV_OPS: readonly OpDef[] = [
  { name: GEMM_CONV, pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2, inferType: ([x, w], a) => gemmConvType(x!, w!, a) },
];
