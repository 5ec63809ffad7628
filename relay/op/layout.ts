// relay/op/layout.ts — the packed-layout operators AlterOpLayout introduces (TVM's x86 NCHW[x]c):
// layout_transform between NCHW and NCHW{b}c, and nn.contrib_conv2d_NCHWc on packed data and weights.

import { tensorType } from '../ty.js';
import { convAttrs, windowOut } from './nn.js';
import { fmtShape, layoutBlock, OpPattern, strAttr, type OpDef } from './op_def.js';

export { layoutBlock } from './op_def.js';

export const LAYOUT_OPS: readonly OpDef[] = [
  {
    name: 'layout_transform', pattern: OpPattern.INJECTIVE, arity: 1,
    inferType([x], a) {
      const src = layoutBlock(strAttr(a, 'layout_transform', 'src_layout'), 'layout_transform');
      const dst = layoutBlock(strAttr(a, 'layout_transform', 'dst_layout'), 'layout_transform');
      const s = x!.shape;
      if (src === undefined && dst !== undefined) {
        if (s.length !== 4 || s[1]! % dst !== 0) throw new RangeError(`layout_transform: cannot pack ${fmtShape(s)} into NCHW${dst}c`);
        return tensorType([s[0]!, s[1]! / dst, s[2]!, s[3]!, dst], x!.dtype);
      }
      if (src !== undefined && dst === undefined) {
        if (s.length !== 5 || s[4] !== src) throw new RangeError(`layout_transform: ${fmtShape(s)} is not NCHW${src}c`);
        return tensorType([s[0]!, s[1]! * src, s[2]!, s[3]!], x!.dtype);
      }
      throw new RangeError('layout_transform: only NCHW ⇄ NCHW<block>c is supported');
    },
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
];
