// ops/guard.ts — reads that may fall outside a tensor (padding): `value` there, the element inside.
// TODO(ifThenElse): use the lazy te.ifThenElse (TVM's if_then_else) once it is in main; until then an
// eager te.select whose read index is clamped into the tensor, so the untaken arm never reads outside.

import * as te from '../schedule/index.js';
import type { Expr } from '../schedule/expr.js';
import type { Tensor } from '../schedule/tensor.js';

/**
 * x[idx] where every index of a dimension marked in `mayLeave` lies in [0, dim), else `value`.
 * Dimensions not marked are read as given.
 */
export function guardedRead(x: Tensor, idx: readonly Expr[], mayLeave: readonly boolean[], value: number | Expr): Expr {
  const conds: Expr[] = [];
  const safe = idx.map((e, d) => {
    if (!mayLeave[d]) return e;
    conds.push(e.ge(0).and(e.lt(x.dims[d]!)));
    return e.max(0).min(x.dims[d]! - 1);
  });
  const read = x.at(...safe);
  if (conds.length === 0) return read;
  const v = typeof value === 'number' ? te.const(value, x.dtype) : value;
  return te.select(te.all(...conds), read, v);
}
