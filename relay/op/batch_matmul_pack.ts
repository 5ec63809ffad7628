// relay/op/batch_matmul_pack.ts — the batched packed-weight product operators AlterDenseLayout introduces on wasm for
// an nn.batch_matmul whose B [b, K, N] is a constant (session 15; the batched form of relay/op/dense_pack.ts): the
// weight's panel transform [b, K, N] → [b, ⌈N/bn⌉, K, bn], evaluated on the host by FoldConstant, and the product
// that reads the panels.

import { packBatchedWeight } from '../../ops/batch_matmul_pack.js';
import type { Attrs } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { denseLayoutBlock } from './dense_pack.js';
import { fmtShape, numAttr, OpPattern, strAttr, type OpDef } from './op_def.js';

export const BATCH_MATMUL_WEIGHT_PACK = 'nn.contrib_batch_matmul_weight_pack';
export const BATCH_MATMUL_PACK = 'nn.contrib_batch_matmul_pack';

/** A float32 weight [b, K, N] → panels [b, ⌈N/bn⌉, K, bn] (weight_layout 'NC{bn}n', as dense's). */
function weightPackType(w: TensorType, a: Attrs): TensorType {
  const op = BATCH_MATMUL_WEIGHT_PACK;
  const bn = denseLayoutBlock(strAttr(a, op, 'weight_layout'), op);
  if (w.dtype !== 'float32') throw new TypeError(`${op}: the weight must be float32, got ${w.dtype}`);
  if (w.shape.length !== 3) throw new RangeError(`${op}: the weight must be 3-D [b, K, N], got ${fmtShape(w.shape)}`);
  const [b, K, N] = w.shape as [number, number, number];
  return tensorType([b, Math.ceil(N / bn), K, bn], 'float32');
}

/** data [b, M, K] and panels [b, ⌈units/bn⌉, K, bn] → [b, M, units]; mismatches are RangeErrors naming the op. */
function packType(x: TensorType, w: TensorType, a: Attrs): TensorType {
  const op = BATCH_MATMUL_PACK;
  const bn = denseLayoutBlock(strAttr(a, op, 'weight_layout'), op);
  const units = numAttr(a, op, 'units');
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw new TypeError(`${op}: data and weight must be float32, got ${x.dtype} and ${w.dtype}`);
  if (x.shape.length !== 3 || w.shape.length !== 4 || w.shape[3] !== bn || x.shape[0] !== w.shape[0] || x.shape[2] !== w.shape[2]) {
    throw new RangeError(`${op}: needs data [b, M, K] and a packed weight [b, units/${bn}, K, ${bn}] (${BATCH_MATMUL_WEIGHT_PACK}), got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  }
  if (!Number.isInteger(units) || units < 1 || Math.ceil(units / bn) !== w.shape[1]) {
    throw new RangeError(`${op}: ${units} units need ${Math.ceil(units / bn)} panels of ${bn}, the packed weight ${fmtShape(w.shape)} has ${w.shape[1]}`);
  }
  return tensorType([x.shape[0]!, x.shape[1]!, units], x.dtype);
}

export const BATCH_MATMUL_PACK_OPS: readonly OpDef[] = [
  {
    // Has no kernel lowering: AlterDenseLayout makes it only on constant weights, and FoldConstant evaluates it.
    name: BATCH_MATMUL_WEIGHT_PACK, pattern: OpPattern.OPAQUE, arity: 1,
    inferType: ([w], a) => weightPackType(w!, a),
    evaluate: ([w], a) => {
      weightPackType(tensorType(w!.shape, w!.dtype), a);
      const bn = denseLayoutBlock(strAttr(a, BATCH_MATMUL_WEIGHT_PACK, 'weight_layout'), BATCH_MATMUL_WEIGHT_PACK);
      const p = packBatchedWeight(w!.values as Float32Array, w!.shape, bn);
      return { shape: p.shape, dtype: 'float32', values: p.values };
    },
  },
  {
    name: BATCH_MATMUL_PACK, pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
    inferType: ([x, w], a) => packType(x!, w!, a),
  },
];
