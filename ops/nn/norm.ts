// ops/nn/norm.ts — layer normalization (ONNX LayerNormalization, two-pass mean and variance) and batch
// normalization in inference form (ONNX BatchNormalization with running mean/variance).

import * as te from '../../schedule/index.js';
import type { Expr } from '../../schedule/expr.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { broadcastShapes, readBroadcast } from '../broadcast.js';
import { checkFloat, checkNumber, checkTensor, fmt, normalizeAxis, prod } from '../check.js';
import { TAG } from '../tags.js';

export interface LayerNormOptions {
  /** First normalized axis; axes [axis, ndim) are normalized (default −1). */
  readonly axis?: number;
  readonly epsilon?: number;
}

function checkEpsilon(op: string, eps: number): number {
  checkNumber(op, eps, 'epsilon');
  if (!(eps >= 0)) throw new RangeError(`${op}: epsilon must be ≥ 0, got ${eps}`);
  return eps;
}

/** A parameter that must broadcast (uni-directionally) to `shape`. */
function checkParam(op: string, p: Tensor, what: string, shape: readonly number[]): void {
  checkTensor(op, p, what);
  checkFloat(op, p, what);
  const ok = p.ndim <= shape.length && (() => { try { return broadcastShapes(op, [p.dims, shape]).every((d, i) => d === shape[i]); } catch { return false; } })();
  if (!ok) throw new RangeError(`${op}: ${what} has shape ${fmt(p.dims)}, which does not broadcast to the normalized shape ${fmt(shape)}`);
}

/**
 * (x − mean) / √(var + ε) · gamma + beta, mean and (biased) variance over axes [axis, ndim).
 * gamma and beta (optional) broadcast to x.shape[axis:]. Same shape as x.
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta?: Tensor, opts: LayerNormOptions = {}): Tensor {
  const op = 'layerNorm';
  checkTensor(op, x);
  checkFloat(op, x);
  const a = normalizeAxis(op, opts.axis ?? -1, x.ndim);
  const eps = checkEpsilon(op, opts.epsilon ?? 1e-5);
  const normShape = x.dims.slice(a);
  checkParam(op, gamma, 'gamma', normShape);
  if (beta !== undefined) checkParam(op, beta, 'beta', normShape);
  const n = prod(normShape);
  const outer = x.dims.slice(0, a);
  const read = (idx: readonly Expr[], ks: readonly te.Expr[]): Expr => x.at(...idx, ...ks);
  const axes = (): { iv: ReturnType<typeof reduceAxis>[]; ex: te.Expr[] } => {
    const iv = normShape.map((d, i) => reduceAxis(d, `k${i}`));
    return { iv, ex: iv.map((v) => new te.Expr(v.variable)) };
  };
  const sum = compute(outer, (...idx) => { const k = axes(); return te.sum(read(idx, k.ex), k.iv); },
    'T_layer_norm_sum', { tag: TAG.commReduce });
  const sqSum = compute(outer, (...idx) => {
    const k = axes();
    const d = read(idx, k.ex).sub(sum.at(...idx).div(n));
    return te.sum(d.mul(d), k.iv);
  }, 'T_layer_norm_sqsum', { tag: TAG.commReduce });
  return compute(x.dims, (...idx) => {
    const o = idx.slice(0, a);
    const inner = idx.slice(a);
    let v = x.at(...idx).sub(sum.at(...o).div(n)).mul(te.rsqrt(sqSum.at(...o).div(n).add(eps))).mul(readBroadcast(gamma, inner));
    if (beta) v = v.add(readBroadcast(beta, inner));
    return v;
  }, 'T_layer_norm', { tag: TAG.norm, attrs: { axis: a, epsilon: eps } });
}

export interface BatchNormOptions {
  /** The channel axis (default 1, NCHW). */
  readonly axis?: number;
  readonly epsilon?: number;
}

/**
 * Inference batch norm: (x − mean[c]) / √(variance[c] + ε) · gamma[c] + beta[c], c the index on
 * `axis`; gamma, beta, mean, variance are 1-D of size x.shape[axis]. Same shape as x.
 */
export function batchNorm(x: Tensor, gamma: Tensor, beta: Tensor, mean: Tensor, variance: Tensor, opts: BatchNormOptions = {}): Tensor {
  const op = 'batchNorm';
  checkTensor(op, x);
  checkFloat(op, x);
  const a = normalizeAxis(op, opts.axis ?? 1, x.ndim);
  const eps = checkEpsilon(op, opts.epsilon ?? 1e-5);
  const c = x.dims[a]!;
  const params = { gamma, beta, mean, variance };
  for (const [what, p] of Object.entries(params)) {
    checkTensor(op, p, what);
    checkFloat(op, p, what);
    if (p.ndim !== 1 || p.dims[0] !== c) throw new RangeError(`${op}: ${what} has shape ${fmt(p.dims)}; expected [${c}] (the size of axis ${a} of x ${fmt(x.dims)})`);
  }
  return compute(x.dims, (...idx) => {
    const ch = idx[a]!;
    return x.at(...idx).sub(mean.at(ch)).mul(te.rsqrt(variance.at(ch).add(eps))).mul(gamma.at(ch)).add(beta.at(ch));
  }, 'T_batch_norm', { tag: TAG.broadcast, attrs: { axis: a, epsilon: eps } });
}
