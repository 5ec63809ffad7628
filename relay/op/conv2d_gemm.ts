// relay/op/conv2d_gemm.ts — the im2col + gemm convolutions AlterOpLayout introduces on wasm: TVM's relay/op/nn
// nn.contrib_conv2d_gemm_without_weight_transform on NCHW data, the OIHW weight as [O, C·KH·KW] rows (a reshape of
// the constant, folded on the host at build time), NCHW output (ops.conv2dGemm, template conv2d_gemm.wasm); and its
// packed form nn.contrib_conv2d_gemm_NCHWc on NCHW{icb}c data, the NCHWc weight packed at build time and viewed as
// panels [O/ocb, C·KH·KW, ocb], NCHW{ocb}c output (ops.conv2dGemmNCHWc, template conv2d_gemm_NCHWc.wasm).

import type { Attrs } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { convAttrs, windowOut } from './nn.js';
import { fmtShape, intsAttr, OpPattern, type OpDef } from './op_def.js';

export const GEMM_CONV = 'nn.contrib_conv2d_gemm_without_weight_transform';
export const GEMM_CONV_NCHWC = 'nn.contrib_conv2d_gemm_NCHWc';

/**
 * The output type of either gemm conv: data [N, C, H, W] and a weight [O, C·KH·KW] → [N, O, OH, OW] (GEMM_CONV), or
 * data [N, C/icb, H, W, icb] and a weight [O/ocb, C·KH·KW, ocb] → [N, O/ocb, OH, OW, ocb] (GEMM_CONV_NCHWC); attr
 * kernel_size [KH, KW], the attrs' strides, padding, dilation; groups must be 1. Float32 only. RangeError/TypeError
 * naming the op otherwise.
 */
function gemmConvType(op: string, x: TensorType, w: TensorType, a: Attrs): TensorType {
  const packed = op === GEMM_CONV_NCHWC;
  const { strides, padding, dilation, groups } = convAttrs(a, op);
  const ks = intsAttr(a, op, 'kernel_size');
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw new TypeError(`${op}: data and weight must be float32, got ${x.dtype} and ${w.dtype}`);
  if (groups !== 1) throw new RangeError(`${op}: groups must be 1, got ${groups}`);
  if (ks.length !== 2) throw new RangeError(`${op}: kernel_size must be [KH, KW], got ${fmtShape(ks)}`);
  const [KH, KW] = ks as [number, number];
  const [n, cb, h, wd, icb = 1] = x.shape as [number, number, number, number, number?];
  const [o, k, ocb] = w.shape as [number, number, number?];
  const ranks = packed ? x.shape.length === 5 && w.shape.length === 3 : x.shape.length === 4 && w.shape.length === 2;
  if (!ranks || k !== cb * icb * KH * KW) {
    const want = packed ? 'data [N, C/icb, H, W, icb] and a weight [O/ocb, C·KH·KW, ocb]' : 'data [N, C, H, W] and a weight [O, C·KH·KW]';
    throw new RangeError(`${op}: needs ${want} with C·KH·KW = ${cb * icb * KH * KW} for kernel ${KH}×${KW}, got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  }
  const oh = windowOut(h, KH, strides[0]!, padding[0]!, padding[2]!, dilation[0]!);
  const ow = windowOut(wd, KW, strides[1]!, padding[1]!, padding[3]!, dilation[1]!);
  const out = packed ? [n, o, oh, ow, ocb!] : [n, o, oh, ow];
  if (oh <= 0 || ow <= 0) throw new RangeError(`${op}: the output ${fmtShape(out)} is empty (input ${fmtShape(x.shape)} is too small for the window)`);
  return tensorType(out, x.dtype);
}

export const GEMM_CONV_OPS: readonly OpDef[] = [GEMM_CONV, GEMM_CONV_NCHWC].map((name) => ({
  name, pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2, inferType: ([x, w], a) => gemmConvType(name, x!, w!, a),
}));
