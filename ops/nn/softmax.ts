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

/**
 * The stages both ops share: the row maximum and Σ exp(x − max) along `axis`. With `keepExp` (softmax) exp(x − max)
 * is a stage of its own (T_<op>_exp, tag softmax_exp) that the sum reads; without it (log_softmax) the sum computes
 * exp inline, its only reader.
 */
function stages(op: string, x: Tensor, axis: number, keepExp: boolean): { a: number; maxElem: Tensor; exp: Tensor | undefined; expSum: Tensor; outer: (idx: readonly Expr[]) => Expr[] } {
  checkTensor(op, x);
  checkFloat(op, x);
  const a = normalizeAxis(op, axis, x.ndim);
  const n = x.dims[a]!;
  const outer = (idx: readonly Expr[]): Expr[] => [...idx.slice(0, a), ...idx.slice(a + 1)];
  const withK = (idx: readonly Expr[], k: Expr): Expr[] => [...idx.slice(0, a), k, ...idx.slice(a)];
  const maxElem = rowMax(op, x, a);
  const expOf = (full: readonly Expr[]): Expr => te.exp(x.at(...full).sub(maxElem.at(...outer(full))));
  const exp = keepExp ? compute(x.dims, (...idx) => expOf(idx), `T_${op}_exp`, { tag: TAG.softmaxExp }) : undefined;
  const expSum = compute(x.dims.filter((_, d) => d !== a), (...idx) => {
    const k = reduceAxis(n, 'k');
    const full = withK(idx, new te.Expr(k.variable));
    return te.sum(exp !== undefined ? exp.at(...full) : expOf(full), [k]);
  }, `T_${op}_expsum`, { tag: TAG.commReduce, attrs: { axes: [a] } });
  return { a, maxElem, exp, expSum, outer };
}

/**
 * exp(x − max) / Σ exp(x − max) along `axis` (default −1), float32; same shape as x. As TOPI's
 * softmax_common: exp(x − max) is a stage of its own (T_softmax_exp, tag softmax_exp, which
 * defaultSchedule keeps rather than inlines), read by both the sum and the quotient, so each element's
 * exp is computed once, not twice: exp is most of softmax's cost (an f64 polynomial per element).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const { a, exp, expSum, outer } = stages('softmax', x, axis, true);
  return compute(x.dims, (...idx) => exp!.at(...idx).div(expSum.at(...outer(idx))), 'T_softmax_norm', { tag: TAG.softmax, attrs: { axis: a } });
}

/** x − max − log Σ exp(x − max) along `axis` (default −1), float32. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const { a, maxElem, expSum, outer } = stages('logSoftmax', x, axis, false);
  return compute(x.dims, (...idx) => x.at(...idx).sub(maxElem.at(...outer(idx))).sub(te.log(expSum.at(...outer(idx)))),
    'T_log_softmax_norm', { tag: TAG.softmax, attrs: { axis: a } });
}
