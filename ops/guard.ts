// ops/guard.ts — reads that may fall outside a tensor (padding): `value` there, the element inside,
// through the lazy te.ifThenElse (TVM's if_then_else), so the read is never evaluated outside.

import * as te from '../schedule/index.js';
import type { Expr } from '../schedule/expr.js';
import type { Tensor } from '../schedule/tensor.js';

/**
 * x[idx] where every index of a dimension marked in `mayLeave` lies in [0, dim), else `value`.
 * Dimensions not marked are read as given.
 */
export function guardedRead(x: Tensor, idx: readonly Expr[], mayLeave: readonly boolean[], value: number | Expr): Expr {
  const conds: Expr[] = [];
  idx.forEach((e, d) => {
    if (mayLeave[d]) conds.push(e.ge(0).and(e.lt(x.dims[d]!)));
  });
  const read = x.at(...idx);
  if (conds.length === 0) return read;
  const v = typeof value === 'number' ? te.const(value, x.dtype) : value;
  return te.ifThenElse(te.all(...conds), read, v);
}
