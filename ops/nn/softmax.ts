// ops/nn/softmax.ts — softmax and log_softmax over any axis, numerically stable (the row maximum is
// subtracted first), in TOPI's three stages: max, Σ exp(x − max), then the normalized output.

import * as te from '../../schedule/index.js';
import type { Expr } from '../../schedule/expr.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { checkFloat, checkTensor, normalizeAxis } from '../check.js';
import { TAG } from '../tags.js';

function stages(op: string, x: Tensor, axis: number): { a: number; maxElem: Tensor; expSum: Tensor; outer: (idx: readonly Expr[]) => Expr[] } {
  checkTensor(op, x);
  checkFloat(op, x);
  const a = normalizeAxis(op, axis, x.ndim);
  const n = x.dims[a]!;
  const outShape = x.dims.filter((_, d) => d !== a);
  const withK = (idx: readonly Expr[], k: Expr): Expr[] => [...idx.slice(0, a), k, ...idx.slice(a)];
  const maxElem = compute(outShape, (...idx) => {
    const k = reduceAxis(n, 'k');
    return te.max(x.at(...withK(idx, new te.Expr(k.variable))), [k]);
  }, `T_${op}_maxelem`, { tag: TAG.commReduce, attrs: { axes: [a] } });
  const expSum = compute(outShape, (...idx) => {
    const k = reduceAxis(n, 'k');
    return te.sum(te.exp(x.at(...withK(idx, new te.Expr(k.variable))).sub(maxElem.at(...idx))), [k]);
  }, `T_${op}_expsum`, { tag: TAG.commReduce, attrs: { axes: [a] } });
  return { a, maxElem, expSum, outer: (idx) => [...idx.slice(0, a), ...idx.slice(a + 1)] };
}

/** exp(x − max) / Σ exp(x − max) along `axis` (default −1), float32; same shape as x. */
export function softmax(x: Tensor, axis = -1): Tensor {
  const { a, maxElem, expSum, outer } = stages('softmax', x, axis);
  return compute(x.dims, (...idx) => te.exp(x.at(...idx).sub(maxElem.at(...outer(idx)))).div(expSum.at(...outer(idx))),
    'T_softmax_norm', { tag: TAG.softmax, attrs: { axis: a } });
}

/** x − max − log Σ exp(x − max) along `axis` (default −1), float32. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const { a, maxElem, expSum, outer } = stages('logSoftmax', x, axis);
  return compute(x.dims, (...idx) => x.at(...idx).sub(maxElem.at(...outer(idx))).sub(te.log(expSum.at(...outer(idx)))),
    'T_log_softmax_norm', { tag: TAG.softmax, attrs: { axis: a } });
}
