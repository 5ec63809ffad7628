// ops/matmul.ts — compute definitions of matrix products: matmul (A·B), dense (X·Wᵀ + bias, as ONNX Gemm
// with transB / TVM nn.dense) and batch_matmul (A·B over broadcast batch dimensions, as ONNX MatMul).

import { sum } from '../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../schedule/tensor.js';
import type { Expr } from '../schedule/expr.js';

function check2d(t: Tensor, what: string): readonly [number, number] {
  if (t.ndim !== 2) throw new RangeError(`${what}: ${t.name} must be 2-D, got shape [${t.dims.join(', ')}]`);
  return [t.dims[0]!, t.dims[1]!];
}

/** Options of matmul, dense and batch_matmul. */
export interface ProductOptions {
  /**
   * B (dense: W) is a model's constant weight (relay's AlterDenseLayout marks such products): the op carries
   * attr `const_b`, so taskOf schedules it by the prepacked task's record ('dense_prepacked.wasm',
   * 'batch_matmul_prepacked.wasm'), then the plain one's.
   */
  readonly constB?: boolean;
}

/** C[i, j] = Σ_k A[i, k] · B[k, j]; A is [M, K], B is [K, N], C is [M, N] (tag 'matmul'). */
export function matmul(A: Tensor, B: Tensor, name = 'C', opts: ProductOptions = {}): Tensor {
  const [M, K] = check2d(A, 'matmul');
  const [K2, N] = check2d(B, 'matmul');
  if (K !== K2) throw new RangeError(`matmul: inner dimensions differ: A is [${M}, ${K}], B is [${K2}, ${N}]`);
  if (A.dtype !== B.dtype) throw new TypeError(`matmul: dtypes differ: A is ${A.dtype}, B is ${B.dtype}`);
  const k = reduceAxis(K, 'k');
  return compute([M, N], (i, j) => sum(A.at(i, k).mul(B.at(k, j)), [k]), name, { tag: 'matmul', attrs: { a_shape: [M, K], b_shape: [K, N], ...(opts.constB === true ? { const_b: true } : {}) } });
}

/**
 * Y[i, j] = Σ_k X[i, k] · W[j, k] (+ bias[j]); X is [M, K], W is [N, K], bias is [N], Y is [M, N].
 * The product is the anchor (tag 'dense'); the bias, when given, is a broadcast add after it
 * (tag 'broadcast'), as TOPI's dense, so schedules fuse it into the product's output tile.
 */
export function dense(X: Tensor, W: Tensor, bias?: Tensor, name = 'Y', opts: ProductOptions = {}): Tensor {
  const [M, K] = check2d(X, 'dense');
  const [N, K2] = check2d(W, 'dense');
  if (K !== K2) throw new RangeError(`dense: reduction dimensions differ: X is [${M}, ${K}], W is [${N}, ${K2}]`);
  if (X.dtype !== W.dtype) throw new TypeError(`dense: dtypes differ: X is ${X.dtype}, W is ${W.dtype}`);
  const k = reduceAxis(K, 'k');
  const Y = compute([M, N], (i, j) => sum(X.at(i, k).mul(W.at(j, k)), [k]), bias ? `${name}_dense` : name, { tag: 'dense', attrs: { a_shape: [M, K], b_shape: [N, K], ...(opts.constB === true ? { const_b: true } : {}) } });
  if (!bias) return Y;
  if (bias.ndim !== 1 || bias.dims[0] !== N) throw new RangeError(`dense: bias ${bias.name} must be [${N}] (one value per output unit), got [${bias.dims.join(', ')}]`);
  if (bias.dtype !== Y.dtype) throw new TypeError(`dense: bias dtype ${bias.dtype} differs from ${Y.dtype}`);
  return compute([M, N], (i, j) => Y.at(i, j).add(bias.at(j)), name, { tag: 'broadcast' });
}

/** The broadcast batch shape of two batch shapes (numpy rules), or an error naming both. */
function broadcastBatch(a: readonly number[], b: readonly number[], A: Tensor, B: Tensor): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(`batchMatmul: batch dimensions do not broadcast: A is [${A.dims.join(', ')}], B is [${B.dims.join(', ')}] (${x} vs ${y})`);
    }
    out.push(Math.max(x, y));
  }
  return out;
}

/**
 * C[..., i, j] = Σ_k A[..., i, k] · B[..., k, j]; A is [...a, M, K], B is [...b, K, N] (rank ≥ 2 each),
 * the batch dims broadcast numpy-style (a size-1 dim repeats), C is [...broadcast(a, b), M, N]
 * (ONNX MatMul for rank ≥ 2; TVM batch_matmul generalized). Tag 'batch_matmul'; `opts.constB` as matmul's.
 */
export function batchMatmul(A: Tensor, B: Tensor, name = 'C', opts: ProductOptions = {}): Tensor {
  if (A.ndim < 2 || B.ndim < 2) throw new RangeError(`batchMatmul: A and B need rank ≥ 2, got A [${A.dims.join(', ')}], B [${B.dims.join(', ')}]`);
  if (A.dtype !== B.dtype) throw new TypeError(`batchMatmul: dtypes differ: A is ${A.dtype}, B is ${B.dtype}`);
  const [M, K] = A.dims.slice(-2) as [number, number];
  const [K2, N] = B.dims.slice(-2) as [number, number];
  if (K !== K2) throw new RangeError(`batchMatmul: inner dimensions differ: A is [${A.dims.join(', ')}], B is [${B.dims.join(', ')}] (${K} vs ${K2})`);
  const aBatch = A.dims.slice(0, -2);
  const bBatch = B.dims.slice(0, -2);
  const batch = broadcastBatch(aBatch, bBatch, A, B);
  const k = reduceAxis(K, 'k');
  const pick = (dims: readonly number[], idx: readonly Expr[]): (Expr | number)[] =>
    dims.map((d, i) => (d === 1 ? 0 : idx[batch.length - dims.length + i]!));
  return compute([...batch, M, N], (...ax) => {
    const b = ax.slice(0, batch.length);
    const [i, j] = ax.slice(batch.length) as [Expr, Expr];
    return sum(A.at(...pick(aBatch, b), i, k).mul(B.at(...pick(bBatch, b), k, j)), [k]);
  }, name, { tag: 'batch_matmul', attrs: { a_shape: [...A.dims], b_shape: [...B.dims], ...(opts.constB === true ? { const_b: true } : {}) } });
}
