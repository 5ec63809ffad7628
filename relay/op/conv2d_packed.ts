// relay/op/conv2d_packed.ts — the conv AlterOpLayout introduces on lavapipe's plain WebGPU target
// (`webgpu -device=llvmpipe` without subgroups; relay/transform/alter_conv_webgpu.ts): nn.conv2d (groups 1) on NCHW
// data reading its OIHW weight packed once at build time in blocks of output channels, [⌈O/ob⌉, C, KH, KW, ob]
// (TVM's weight layout 'OIHW{ob}o'), NCHW output (ops.conv2dPackedWeight, template conv2d_nchw_packed.webgpu).

import type { Attrs } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { convAttrs, windowOut } from './nn.js';
import { fmtShape, numAttr, OpPattern, strAttr, type OpDef } from './op_def.js';

export const CONV_PACKED = 'nn.contrib_conv2d_nchw_packed';

/** The block of a weight layout 'OIHW{ob}o' (TVM's spelling); anything else is a RangeError naming the op. */
export function convPackedBlock(layout: string, op: string): number {
  const m = /^OIHW(\d+)o$/.exec(layout);
  const ob = m === null ? NaN : Number(m[1]);
  if (!(ob >= 1)) throw new RangeError(`${op}: weight_layout must be 'OIHW<ob>o' with a block ob ≥ 1, got '${layout}'`);
  return ob;
}

/**
 * data [N, C, H, W] and a packed weight [⌈O/ob⌉, C, KH, KW, ob] (attr weight_layout 'OIHW{ob}o', attr channels O) →
 * [N, O, OH, OW] with the attrs' strides, padding, dilation; groups must be 1. Float32 only. RangeError/TypeError
 * naming the op otherwise.
 */
function convPackedType(x: TensorType, w: TensorType, a: Attrs): TensorType {
  const op = CONV_PACKED;
  const ob = convPackedBlock(strAttr(a, op, 'weight_layout'), op);
  const O = numAttr(a, op, 'channels');
  const { strides, padding, dilation, groups } = convAttrs(a, op);
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw new TypeError(`${op}: data and weight must be float32, got ${x.dtype} and ${w.dtype}`);
  if (groups !== 1) throw new RangeError(`${op}: groups must be 1, got ${groups}`);
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [Ob, c2, KH, KW, ob2] = w.shape as [number, number, number, number, number];
  if (x.shape.length !== 4 || w.shape.length !== 5 || ob2 !== ob || c2 !== c) {
    throw new RangeError(`${op}: needs data [N, C, H, W] and a packed weight [⌈O/${ob}⌉, C, KH, KW, ${ob}] of the same C, got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  }
  if (!Number.isInteger(O) || O < 1 || Math.ceil(O / ob) !== Ob) throw new RangeError(`${op}: ${O} channels need ${Math.ceil(O / ob)} blocks of ${ob}, the weight ${fmtShape(w.shape)} has ${Ob}`);
  const oh = windowOut(h, KH, strides[0]!, padding[0]!, padding[2]!, dilation[0]!);
  const ow = windowOut(wd, KW, strides[1]!, padding[1]!, padding[3]!, dilation[1]!);
  if (oh <= 0 || ow <= 0) throw new RangeError(`${op}: the output [${n}, ${O}, ${oh}, ${ow}] is empty (input ${fmtShape(x.shape)} is too small for the window)`);
  return tensorType([n, O, oh, ow], x.dtype);
}

export const CONV_PACKED_OPS: readonly OpDef[] = [
  { name: CONV_PACKED, pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2, inferType: ([x, w], a) => convPackedType(x!, w!, a) },
];
