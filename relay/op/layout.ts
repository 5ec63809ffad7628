// relay/op/layout.ts — the packed-layout operators AlterOpLayout introduces (TVM's x86 NCHW[x]c):
// layout_transform between NCHW and NCHW{b}c, and nn.contrib_conv2d_NCHWc / nn.contrib_depthwise_conv2d_NCHWc on
// packed data and weights.

import type { Attrs, TensorData } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { convAttrs, windowOut } from './nn.js';
import { fmtShape, layoutBlock, OpPattern, strAttr, type OpDef } from './op_def.js';
import { gather } from './tensor_eval.js';

export { layoutBlock } from './op_def.js';

/** The blocks of a layout_transform's src_layout and dst_layout (undefined = plain NCHW). */
function transformBlocks(a: Attrs): { src: number | undefined; dst: number | undefined } {
  return {
    src: layoutBlock(strAttr(a, 'layout_transform', 'src_layout'), 'layout_transform'),
    dst: layoutBlock(strAttr(a, 'layout_transform', 'dst_layout'), 'layout_transform'),
  };
}

/** NCHW [N, C, H, W] → NCHW{b}c [N, C/b, H, W, b], or back; anything else is a RangeError naming the op. */
function layoutTransformType(x: TensorType, a: Attrs): TensorType {
  const { src, dst } = transformBlocks(a);
  const s = x.shape;
  if (src === undefined && dst !== undefined) {
    if (s.length !== 4 || s[1]! % dst !== 0) throw new RangeError(`layout_transform: cannot pack ${fmtShape(s)} into NCHW${dst}c`);
    return tensorType([s[0]!, s[1]! / dst, s[2]!, s[3]!, dst], x.dtype);
  }
  if (src !== undefined && dst === undefined) {
    if (s.length !== 5 || s[4] !== src) throw new RangeError(`layout_transform: ${fmtShape(s)} is not NCHW${src}c`);
    return tensorType([s[0]!, s[1]! * src, s[2]!, s[3]!], x.dtype);
  }
  throw new RangeError('layout_transform: only NCHW ⇄ NCHW<block>c is supported');
}

/**
 * The host implementation (FoldConstant folds layout_transform of constants, as TVM's does after
 * AlterOpLayout): packed[n, cb, h, w, l] = nchw[n, cb·b + l, h, w], and the inverse.
 */
function layoutTransformValues(x: TensorData, a: Attrs): TensorData {
  const out = layoutTransformType(tensorType(x.shape, x.dtype), a).shape;
  const { src } = transformBlocks(a);
  if (src === undefined) {
    const [, C, H, W, b] = out as [number, number, number, number, number];
    return gather(x, out, ([n, cb, h, w, l]) => ((n! * C * b + cb! * b + l!) * H + h!) * W + w!);
  }
  const [, C, H, W] = out as [number, number, number, number];
  return gather(x, out, ([n, c, h, w]) => ((((n! * (C / src) + Math.floor(c! / src)) * H + h!) * W + w!) * src) + (c! % src));
}

export const LAYOUT_OPS: readonly OpDef[] = [
  {
    name: 'layout_transform', pattern: OpPattern.INJECTIVE, arity: 1,
    inferType: ([x], a) => layoutTransformType(x!, a),
    evaluate: ([x], a) => layoutTransformValues(x!, a),
  },
  {
    name: 'nn.contrib_conv2d_NCHWc', pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
    inferType([x, w], a) {
      const op = 'nn.contrib_conv2d_NCHWc';
      if (x!.shape.length !== 5 || w!.shape.length !== 6) throw new RangeError(`${op}: needs data [N, C/b, H, W, b] and weight [O/ob, C/b, KH, KW, b, ob], got ${fmtShape(x!.shape)} and ${fmtShape(w!.shape)}`);
      const { strides, padding, dilation } = convAttrs(a, op);
      const [n, cb, h, wd, icb] = x!.shape as [number, number, number, number, number];
      const [ob, cb2, kh, kw, icb2, ocb] = w!.shape as [number, number, number, number, number, number];
      if (cb !== cb2 || icb !== icb2) throw new RangeError(`${op}: data ${fmtShape(x!.shape)} and weight ${fmtShape(w!.shape)} disagree on the channel blocks`);
      return tensorType([n, ob, windowOut(h, kh, strides[0]!, padding[0]!, padding[2]!, dilation[0]!), windowOut(wd, kw, strides[1]!, padding[1]!, padding[3]!, dilation[1]!), ocb], x!.dtype);
    },
  },
  {
    // TVM's x86 depthwise_conv2d_NCHWc (channel multiplier 1): data [N, C/b, H, W, b], weight [C/b, 1, KH, KW, 1, b].
    name: 'nn.contrib_depthwise_conv2d_NCHWc', pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
    inferType([x, w], a) {
      const op = 'nn.contrib_depthwise_conv2d_NCHWc';
      if (x!.shape.length !== 5 || w!.shape.length !== 6) throw new RangeError(`${op}: needs data [N, C/b, H, W, b] and weight [C/b, 1, KH, KW, 1, b], got ${fmtShape(x!.shape)} and ${fmtShape(w!.shape)}`);
      const { strides, padding, dilation } = convAttrs(a, op);
      const [n, cb, h, wd, b] = x!.shape as [number, number, number, number, number];
      const [cb2, one, kh, kw, m, b2] = w!.shape as [number, number, number, number, number, number];
      if (cb !== cb2 || b !== b2 || one !== 1 || m !== 1) throw new RangeError(`${op}: data ${fmtShape(x!.shape)} and weight ${fmtShape(w!.shape)} disagree on the channel blocks (weight [C/b, 1, KH, KW, 1, b])`);
      return tensorType([n, cb, windowOut(h, kh, strides[0]!, padding[0]!, padding[2]!, dilation[0]!), windowOut(wd, kw, strides[1]!, padding[1]!, padding[3]!, dilation[1]!), b], x!.dtype);
    },
  },
];
