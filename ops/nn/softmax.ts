// ops/nn/softmax.ts — softmax and log_softmax over any axis, numerically stable (the row maximum is
// subtracted first), in TOPI's stages: max, (softmax) exp(x − max), Σ exp(x − max), then the normalized output.

import * as te from '../../schedule/index.js';
import type { Expr } from '../../schedule/expr.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { checkFloat, checkTensor, normalizeAxis } from '../check.js';
import { TAG } from '../tags.js';

/** max over axis `a` (the shape without it): the row maximum subtracted for numerical stability. */
function rowMax(op: string, x: Tensor, a: number): Tensor {
  const withK = (idx: readonly Expr[], k: Expr): Expr[] => [...idx.slice(0, a), k, ...idx.slice(a)];
  return compute(x.dims.filter((_, d) => d !== a), (...idx) => {
    const k = reduceAxis(x.dims[a]!, 'k');
    return te.max(x.at(...withK(idx, new te.Expr(k.variable))), [k]);
  }, `T_${op}_maxelem`, { tag: TAG.commReduce, attrs: { axes: [a] } });
}

function stages(op: string, x: Tensor, axis: number): { a: number; maxElem: Tensor; expSum: Tensor; outer: (idx: readonly Expr[]) => Expr[] } {
  checkTensor(op, x);
  checkFloat(op, x);
  const a = normalizeAxis(op, axis, x.ndim);
  const n = x.dims[a]!;
  const outShape = x.dims.filter((_, d) => d !== a);
  const withK = (idx: readonly Expr[], k: Expr): Expr[] => [...idx.slice(0, a), k, ...idx.slice(a)];
  const maxElem = rowMax(op, x, a);
  const expSum = compute(outShape, (...idx) => {
    const k = reduceAxis(n, 'k');
    return te.sum(te.exp(x.at(...withK(idx, new te.Expr(k.variable))).sub(maxElem.at(...idx))), [k]);
  }, `T_${op}_expsum`, { tag: TAG.commReduce, attrs: { axes: [a] } });
  return { a, maxElem, expSum, outer: (idx) => [...idx.slice(0, a), ...idx.slice(a + 1)] };
}

/**
 * exp(x − max) / Σ exp(x − max) along `axis` (default −1), float32; same shape as x. As TOPI's
 * softmax_common: exp(x − max) is a stage of its own (T_softmax_exp, tag softmax_exp, which
 * defaultSchedule keeps rather than inlines), read by both the sum and the quotient, so each element's
 * exp is computed once, not twice: exp is most of softmax's cost (an f64 polynomial per element).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const op = 'softmax';
  checkTensor(op, x);
  checkFloat(op, x);
  const a = normalizeAxis(op, axis, x.ndim);
  const n = x.dims[a]!;
  const outer = (idx: readonly Expr[]): Expr[] => [...idx.slice(0, a), ...idx.slice(a + 1)];
  const withK = (idx: readonly Expr[], k: Expr): Expr[] => [...idx.slice(0, a), k, ...idx.slice(a)];
  const maxElem = rowMax(op, x, a);
  const e = compute(x.dims, (...idx) => te.exp(x.at(...idx).sub(maxElem.at(...outer(idx)))), 'T_softmax_exp', { tag: TAG.softmaxExp });
  const expSum = compute(x.dims.filter((_, d) => d !== a), (...idx) => {
    const k = reduceAxis(n, 'k');
    return te.sum(e.at(...withK(idx, new te.Expr(k.variable))), [k]);
  }, 'T_softmax_expsum', { tag: TAG.commReduce, attrs: { axes: [a] } });
  return compute(x.dims, (...idx) => e.at(...idx).div(expSum.at(...outer(idx))), 'T_softmax_norm', { tag: TAG.softmax, attrs: { axis: a } });
}

/** x − max − log Σ exp(x − max) along `axis` (default −1), float32. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const { a, maxElem, expSum, outer } = stages('logSoftmax', x, axis);
  return compute(x.dims, (...idx) => x.at(...idx).sub(maxElem.at(...outer(idx))).sub(te.log(expSum.at(...outer(idx)))),
    'T_log_softmax_norm', { tag: TAG.softmax, attrs: { axis: a } });
}
