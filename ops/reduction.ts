// ops/reduction.ts — reductions over any axes (TOPI's reduction.py, ONNX Reduce*): sum, mean, max, min,
// prod with negative axes, `undefined` = all axes, and keepdims.

import * as te from '../schedule/index.js';
import type { Expr } from '../schedule/expr.js';
import { compute, reduceAxis, type Tensor } from '../schedule/tensor.js';
import type { IterVar, ReducerName } from '../tir/nodes.js';
import { checkFloat, checkTensor, normalizeAxes, prod as product } from './check.js';
import { TAG } from './tags.js';

const REDUCERS: Readonly<Record<ReducerName, (src: Expr, axes: IterVar[]) => Expr>> = {
  sum: (s, a) => te.sum(s, a),
  prod: (s, a) => te.prod(s, a),
  max: (s, a) => te.max(s, a),
  min: (s, a) => te.min(s, a),
};

/** The reduced axes (sorted, non-negative) and the output shape. */
export function reduceShape(op: string, x: Tensor, axes: readonly number[] | undefined, keepdims: boolean): { axes: number[]; shape: number[] } {
  if (typeof keepdims !== 'boolean') throw new TypeError(`${op}: keepdims must be a boolean, got ${String(keepdims)}`);
  const ax = axes === undefined ? x.dims.map((_, i) => i) : normalizeAxes(op, axes, x.ndim);
  const shape = keepdims ? x.dims.map((d, i) => (ax.includes(i) ? 1 : d)) : x.dims.filter((_, i) => !ax.includes(i));
  return { axes: ax, shape };
}

function reduceOp(op: ReducerName, name: string, x: Tensor, axes: readonly number[] | undefined, keepdims: boolean): Tensor {
  checkTensor(op, x);
  const r = reduceShape(op, x, axes, keepdims);
  if (r.axes.length === 0) {
    // ONNX: an empty axes list with noop_with_empty_axes reduces nothing; here it is a copy.
    return compute(x.dims, (...i) => x.at(...i), name, { tag: TAG.injective });
  }
  return compute(r.shape, (...idx) => {
    const ks = r.axes.map((a) => reduceAxis(x.dims[a]!, `k${a}`));
    const src: Expr[] = [];
    let o = 0;
    for (let d = 0; d < x.ndim; d++) {
      const at = r.axes.indexOf(d);
      if (at >= 0) {
        src.push(new te.Expr(ks[at]!.variable));
        if (keepdims) o++;
      } else {
        src.push(idx[o++]!);
      }
    }
    return REDUCERS[op](x.at(...src), ks);
  }, name, { tag: TAG.commReduce, attrs: { axes: r.axes, keepdims } });
}

/** Σ over `axes` (all when undefined; negative axes count from the end); keepdims keeps them as 1. */
export const sum = (x: Tensor, axes?: readonly number[], keepdims = false): Tensor => reduceOp('sum', 'T_sum', x, axes, keepdims);
/** Π over `axes`. */
export const prod = (x: Tensor, axes?: readonly number[], keepdims = false): Tensor => reduceOp('prod', 'T_prod', x, axes, keepdims);
/** Maximum over `axes`. */
export const max = (x: Tensor, axes?: readonly number[], keepdims = false): Tensor => reduceOp('max', 'T_max', x, axes, keepdims);
/** Minimum over `axes`. */
export const min = (x: Tensor, axes?: readonly number[], keepdims = false): Tensor => reduceOp('min', 'T_min', x, axes, keepdims);

/** Arithmetic mean over `axes` (float32): the sum divided by the number of reduced elements. */
export function mean(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  checkTensor('mean', x);
  checkFloat('mean', x);
  const r = reduceShape('mean', x, axes, keepdims);
  const s = reduceOp('sum', 'T_sum', x, axes, keepdims);
  const n = product(r.axes.map((a) => x.dims[a]!));
  return compute(s.dims, (...i) => s.at(...i).div(n), 'T_mean', { tag: TAG.elemwise });
}
