// relay/op/winograd.ts — the Winograd F(m×m, 3×3) operators (m = tile_size, 2 or 4) AlterOpLayout introduces on wasm (TVM's
// relay/op/nn: nn.contrib_conv2d_winograd_weight_transform, evaluated on the host by FoldConstant when the
// weight is a constant, and nn.contrib_conv2d_winograd_without_weight_transform, which reads its result).

import { winogradWeightTransform } from '../../ops/nn/conv2d_winograd.js';
import type { WinogradTileSize } from '../../ops/nn/winograd_matrices.js';
import type { Attrs } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { convAttrs, windowOut } from './nn.js';
import { fmtShape, numAttr, OpPattern, type OpDef } from './op_def.js';

export const WINOGRAD_WEIGHT_TRANSFORM = 'nn.contrib_conv2d_winograd_weight_transform';
export const WINOGRAD_CONV = 'nn.contrib_conv2d_winograd_without_weight_transform';

/** F(m×m, 3×3) with m = tile_size (TVM's attribute: the output tile; default 2); m = 2 and 4 are implemented. */
function tileSize(a: Attrs, op: string): WinogradTileSize {
  const m = numAttr(a, op, 'tile_size', 2);
  if (m !== 2 && m !== 4) throw new RangeError(`${op}: tile_size ${m} is not supported (F(2×2, 3×3) or F(4×4, 3×3): tile_size 2 or 4)`);
  return m;
}

/** [O, C, 3, 3] float32 → [α², O, C], α = tile_size + 2 (U[ε·α + ν, o, c] = (G·g·Gᵀ)[ε, ν]); other shapes are a RangeError naming the op. */
function weightTransformType(w: TensorType, a: Attrs): TensorType {
  const op = WINOGRAD_WEIGHT_TRANSFORM;
  const alpha = tileSize(a, op) + 2;
  if (w.dtype !== 'float32') throw new TypeError(`${op}: the weight must be float32, got ${w.dtype}`);
  const [O, C, KH, KW] = w.shape as [number, number, number, number];
  if (w.shape.length !== 4 || KH !== 3 || KW !== 3) throw new RangeError(`${op}: the weight must be [O, C, 3, 3] (OIHW, a 3×3 kernel), got ${fmtShape(w.shape)}`);
  return tensorType([alpha * alpha, O, C], 'float32');
}

/**
 * data [N, C, H, W] and a transformed weight [α², O, C] (α = tile_size + 2) → [N, O, OH, OW] of the 3×3
 * convolution with the attrs' padding; strides and dilation must be 1 and groups 1 (RangeError naming the op otherwise).
 */
function winogradConvType(x: TensorType, w: TensorType, a: Attrs): TensorType {
  const op = WINOGRAD_CONV;
  const m = tileSize(a, op);
  const a2 = (m + 2) ** 2;
  const { strides, padding, dilation, groups } = convAttrs(a, op);
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw new TypeError(`${op}: data and weight must be float32, got ${x.dtype} and ${w.dtype}`);
  if (x.shape.length !== 4 || w.shape.length !== 3 || w.shape[0] !== a2) {
    throw new RangeError(`${op}: needs data [N, C, H, W] and a transformed weight [${a2}, O, C] (${WINOGRAD_WEIGHT_TRANSFORM} with tile_size ${m}), got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  }
  if (strides.some((s) => s !== 1) || dilation.some((d) => d !== 1) || groups !== 1) {
    throw new RangeError(`${op}: F(${m}×${m}, 3×3) needs strides [1, 1], dilation [1, 1] and groups 1, got strides ${fmtShape(strides)}, dilation ${fmtShape(dilation)}, groups ${groups}`);
  }
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [, o, c2] = w.shape as [number, number, number];
  if (c !== c2) throw new RangeError(`${op}: the weight ${fmtShape(w.shape)} is for ${c2} input channels, the data ${fmtShape(x.shape)} has ${c}`);
  const oh = windowOut(h, 3, 1, padding[0]!, padding[2]!, 1);
  const ow = windowOut(wd, 3, 1, padding[1]!, padding[3]!, 1);
  if (oh <= 0 || ow <= 0) throw new RangeError(`${op}: the output [${n}, ${o}, ${oh}, ${ow}] is empty (input ${fmtShape(x.shape)} is too small for the window)`);
  return tensorType([n, o, oh, ow], x.dtype);
}

export const WINOGRAD_OPS: readonly OpDef[] = [
  {
    // Has no kernel lowering: AlterOpLayout makes it only on constant weights, and FoldConstant evaluates it.
    name: WINOGRAD_WEIGHT_TRANSFORM, pattern: OpPattern.OPAQUE, arity: 1,
    inferType: ([w], a) => weightTransformType(w!, a),
    evaluate: ([w], a) => {
      const t = weightTransformType(tensorType(w!.shape, w!.dtype), a);
      return { shape: t.shape, dtype: 'float32', values: winogradWeightTransform(w!.values as Float32Array, w!.shape, tileSize(a, WINOGRAD_WEIGHT_TRANSFORM)) };
    },
  },
  {
    name: WINOGRAD_CONV, pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
    inferType: ([x, w], a) => winogradConvType(x!, w!, a),
  },
];
