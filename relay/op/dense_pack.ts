// relay/op/dense_pack.ts — the packed-weight product operators AlterDenseLayout introduces on wasm (TVM's
// nn.contrib_dense_pack with weight_layout 'NC{bn}n', topi/x86/dense_alter_op.py): the weight's panel transform,
// evaluated on the host by FoldConstant (AlterDenseLayout applies it to constant weights only; TVM writes it as
// layout_transform(weight, 'NC', 'NC{bn}n')), and the product that reads the panels.

import { packProductWeight, type PackSource } from '../../ops/dense_pack.js';
import type { Attrs } from '../nodes.js';
import { tensorType, type TensorType } from '../ty.js';
import { fmtShape, numAttr, OpPattern, strAttr, type OpDef } from './op_def.js';

export const DENSE_WEIGHT_PACK = 'nn.contrib_dense_weight_pack';
export const DENSE_PACK = 'nn.contrib_dense_pack';
/**
 * The attr AlterDenseLayout sets on an nn.dense / nn.matmul whose weight is a constant but whose config does not
 * pack it: the kernel is scheduled by the prepacked task's record (products on constant weights), then the plain one's.
 */
export const CONST_WEIGHT = 'const_weight';

/** The panel width of a weight layout 'NC{bn}n' (TVM's spelling); anything else is a RangeError naming the op. */
export function denseLayoutBlock(layout: string, op: string): number {
  const m = /^NC(\d+)n$/.exec(layout);
  const bn = m === null ? NaN : Number(m[1]);
  if (!(bn >= 1)) throw new RangeError(`${op}: weight_layout must be 'NC<bn>n' with a panel width bn ≥ 1, got '${layout}'`);
  return bn;
}

/** The 'source' attribute: which product the weight came from ('dense': W [N, K]; 'matmul': B [K, N]). */
export function packSource(a: Attrs, op: string): PackSource {
  const s = strAttr(a, op, 'source', 'dense');
  if (s !== 'dense' && s !== 'matmul') throw new RangeError(`${op}: source must be 'dense' or 'matmul', got '${s}'`);
  return s;
}

/** A float32 weight [N, K] (source dense) or [K, N] (matmul) → panels [⌈N/bn⌉, K, bn]. */
function weightPackType(w: TensorType, a: Attrs): TensorType {
  const op = DENSE_WEIGHT_PACK;
  const bn = denseLayoutBlock(strAttr(a, op, 'weight_layout'), op);
  if (w.dtype !== 'float32') throw new TypeError(`${op}: the weight must be float32, got ${w.dtype}`);
  if (w.shape.length !== 2) throw new RangeError(`${op}: the weight must be 2-D, got ${fmtShape(w.shape)}`);
  const [N, K] = packSource(a, op) === 'dense' ? [w.shape[0]!, w.shape[1]!] : [w.shape[1]!, w.shape[0]!];
  return tensorType([Math.ceil(N / bn), K, bn], 'float32');
}

/** data [M, K] and panels [⌈units/bn⌉, K, bn] → [M, units]; mismatches are RangeErrors naming the op. */
function densePackType(x: TensorType, w: TensorType, a: Attrs): TensorType {
  const op = DENSE_PACK;
  const bn = denseLayoutBlock(strAttr(a, op, 'weight_layout'), op);
  const units = numAttr(a, op, 'units');
  packSource(a, op);
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw new TypeError(`${op}: data and weight must be float32, got ${x.dtype} and ${w.dtype}`);
  if (x.shape.length !== 2 || w.shape.length !== 3 || w.shape[2] !== bn) {
    throw new RangeError(`${op}: needs data [M, K] and a packed weight [units/${bn}, K, ${bn}] (${DENSE_WEIGHT_PACK}), got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  }
  if (x.shape[1] !== w.shape[1]) throw new RangeError(`${op}: data ${fmtShape(x.shape)} and packed weight ${fmtShape(w.shape)} differ in the reduced dimension`);
  if (!Number.isInteger(units) || units < 1 || Math.ceil(units / bn) !== w.shape[0]) {
    throw new RangeError(`${op}: ${units} units need ${Math.ceil(units / bn)} panels of ${bn}, the packed weight ${fmtShape(w.shape)} has ${w.shape[0]}`);
  }
  return tensorType([x.shape[0]!, units], x.dtype);
}

export const DENSE_PACK_OPS: readonly OpDef[] = [
  {
    // Has no kernel lowering: AlterDenseLayout makes it only on constant weights, and FoldConstant evaluates it.
    name: DENSE_WEIGHT_PACK, pattern: OpPattern.OPAQUE, arity: 1,
    inferType: ([w], a) => weightPackType(w!, a),
    evaluate: ([w], a) => {
      weightPackType(tensorType(w!.shape, w!.dtype), a);
      const bn = denseLayoutBlock(strAttr(a, DENSE_WEIGHT_PACK, 'weight_layout'), DENSE_WEIGHT_PACK);
      const p = packProductWeight(w!.values as Float32Array, w!.shape, bn, packSource(a, DENSE_WEIGHT_PACK));
      return { shape: p.shape, dtype: 'float32', values: p.values };
    },
  },
  {
    name: DENSE_PACK, pattern: OpPattern.OUT_ELEMWISE_FUSABLE, arity: 2,
    inferType: ([x, w], a) => densePackType(x!, w!, a),
  },
];
