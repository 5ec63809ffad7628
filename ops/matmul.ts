// ops/matmul.ts — compute definitions of matrix products: matmul (A·B) and dense (X·Wᵀ, as ONNX Gemm/TVM dense).

import { sum } from '../schedule/reduce.js';
import { compute, reduceAxis, type Tensor } from '../schedule/tensor.js';

function check2d(t: Tensor, what: string): readonly [number, number] {
  if (t.ndim !== 2) throw new RangeError(`${what}: ${t.name} must be 2-D, got shape [${t.dims.join(', ')}]`);
  return [t.dims[0]!, t.dims[1]!];
}

/** C[i, j] = Σ_k A[i, k] · B[k, j]; A is [M, K], B is [K, N]. */
export function matmul(A: Tensor, B: Tensor, name = 'C'): Tensor {
  const [M, K] = check2d(A, 'matmul');
  const [K2, N] = check2d(B, 'matmul');
  if (K !== K2) throw new RangeError(`matmul: inner dimensions differ: A is [${M}, ${K}], B is [${K2}, ${N}]`);
  if (A.dtype !== B.dtype) throw new TypeError(`matmul: dtypes differ: A is ${A.dtype}, B is ${B.dtype}`);
  const k = reduceAxis(K, 'k');
  return compute([M, N], (i, j) => sum(A.at(i, k).mul(B.at(k, j)), [k]), name, { tag: 'matmul' });
}

/** Y[i, j] = Σ_k X[i, k] · W[j, k]; X is [M, K], W is [N, K] (a fully connected layer). */
export function dense(X: Tensor, W: Tensor, name = 'Y'): Tensor {
  const [M, K] = check2d(X, 'dense');
  const [N, K2] = check2d(W, 'dense');
  if (K !== K2) throw new RangeError(`dense: reduction dimensions differ: X is [${M}, ${K}], W is [${N}, ${K2}]`);
  if (X.dtype !== W.dtype) throw new TypeError(`dense: dtypes differ: X is ${X.dtype}, W is ${W.dtype}`);
  const k = reduceAxis(K, 'k');
  return compute([M, N], (i, j) => sum(X.at(i, k).mul(W.at(j, k)), [k]), name, { tag: 'dense' });
}
