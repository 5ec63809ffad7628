// ops/templates/gemm_pack.ts — the packed-B rewrite of a matrix product for the wasm gemm template: B is copied
// into panels Bp[..., ⌈N/bn⌉, K, bn] (TVM x86 `dense_pack`'s [N/bn][K][bn], MLAS's packed B) by a stage inside
// the kernel, and the product reads the panels, so its inner loop streams contiguous vectors instead of
// touching a new B row (a 4 KiB stride at N = 1024) every k step.

import { ifThenElse } from '../../schedule/expr.js';
import type { Schedule } from '../../schedule/schedule.js';
import { Stage } from '../../schedule/stage.js';
import { compute, makeComputeOp, placeholder, Tensor, type ComputeOp } from '../../schedule/tensor.js';
import { StmtExprMutator } from '../../tir/functor.js';
import * as tir from '../../tir/nodes.js';
import type { PrimExpr, ProducerLoad, Var } from '../../tir/nodes.js';

/** The B operand of a product body Σ_k A[…, i, k] · B[…] (the second factor) and where its n and k indices sit. */
interface BRead {
  readonly B: Tensor;
  /** Index position of the output column j in B's reads (last for matmul, 0/rank-2 for dense's [N, K]). */
  readonly nPos: number;
  /** Index position of the reduce axis k. */
  readonly kPos: number;
}

const usesVar = (e: PrimExpr, v: Var): boolean => {
  let found = false;
  new (class extends StmtExprMutator {
    override mutateExpr(x: PrimExpr): PrimExpr {
      if (x.kind === 'Var' && x === v) found = true;
      return found ? x : super.mutateExpr(x);
    }
  })().mutateExpr(e);
  return found;
};

/** Finds B in op's body: the ProducerLoad factor of the reduce source whose indices use both j and k. */
function findB(op: ComputeOp): BRead {
  const body = op.body;
  const fail = (why: string): never => { throw new TypeError(`gemm pack_b: ${op.name} is not a product Σ_k A·B (${why})`); };
  if (body.kind !== 'Reduce' || body.axis.length !== 1) return fail('needs one reduce axis');
  const src = body.source;
  if (src.kind !== 'BinaryOp' || src.op !== 'mul') return fail('the reduced value is not a product');
  const j = op.axis[op.axis.length - 1]!.variable;
  const k = body.axis[0]!.variable;
  for (const f of [src.b, src.a]) {
    if (f.kind !== 'ProducerLoad' || !(f.producer instanceof Tensor) || f.indices.length < 2) continue;
    const r = f.indices.length;
    const last2 = [r - 2, r - 1];
    const nPos = last2.find((p) => f.indices[p]!.kind === 'Var' && f.indices[p] === j);
    const kPos = last2.find((p) => f.indices[p]!.kind === 'Var' && f.indices[p] === k);
    if (nPos === undefined || kPos === undefined) continue;
    if (f.indices.slice(0, r - 2).some((e) => usesVar(e, j) || usesVar(e, k))) continue;
    return { B: f.producer, nPos, kPos };
  }
  return fail('no factor is read as B[…, k, j] or B[…, j, k]');
}

/** Whether B is read with k as its last index (dense's W [N, K]): both operands are then contiguous along k. */
export function readsBAlongK(op: ComputeOp): boolean {
  try {
    const { B, kPos } = findB(op);
    return kPos === B.ndim - 1;
  } catch {
    return false;
  }
}

/**
 * Rewrites the product `anchor` (inside `s`, not yet scheduled) to read B from panels of width `bn`:
 * Bp[…batch, xo, k, xi] = B[…batch, k, xo·bn + xi] (matmul) or B[…batch, xo·bn + xi, k] (dense's W [N, K]),
 * zero where xo·bn + xi ≥ N; the product then reads Bp[…, j ⌊/⌋ bn, k, j mod bn]. Returns the new stage
 * (global scope, at root; the caller schedules it). Shapes: B [..., K, N] or [..., N, K] → Bp [..., ⌈N/bn⌉, K, bn].
 * With `asInput` (a weight packed once at build time, tuned as such: TVM's dense_pack under
 * `autotvm.GLOBAL_SCOPE.in_tuning`), Bp is a placeholder the caller feeds already packed and there is no stage.
 * Throws TypeError when the anchor's body is not Σ_k A·B with plain j and k indices in B's last two dims.
 */
export function packPanels(s: Schedule, anchor: Tensor, bn: number, asInput: true): { packed: Tensor; stage: undefined; transposed: boolean };
export function packPanels(s: Schedule, anchor: Tensor, bn: number, asInput?: false): { packed: Tensor; stage: Stage; transposed: boolean };
export function packPanels(s: Schedule, anchor: Tensor, bn: number, asInput = false): { packed: Tensor; stage: Stage | undefined; transposed: boolean } {
  if (!Number.isInteger(bn) || bn < 1) throw new RangeError(`gemm pack_b: panel width must be a positive integer, got ${bn}`);
  const st = s.stage(anchor);
  const op = st.op;
  if (op.kind !== 'compute') throw new TypeError(`gemm pack_b: ${anchor.name} is a placeholder`);
  const { B, nPos, kPos } = findB(op);
  const r = B.ndim;
  const N = B.dims[nPos]!;
  const K = B.dims[kPos]!;
  const batch = B.dims.slice(0, r - 2);
  const tail = N % bn !== 0;
  const packed = asInput ? placeholder([...batch, Math.ceil(N / bn), K, bn], B.dtype, `${B.name}_packed`) : compute([...batch, Math.ceil(N / bn), K, bn], (...ax) => {
    const [xo, k, xi] = ax.slice(batch.length) as [typeof ax[0], typeof ax[0], typeof ax[0]];
    const n = xo.mul(bn).add(xi);
    const idx = [...ax.slice(0, batch.length)];
    idx[nPos] = n;
    idx[kPos] = k;
    const v = B.at(...idx);
    return tail ? ifThenElse(n.lt(N), v, 0) : v;
  }, `${B.name}_packed`, { tag: 'injective,layout' });
  const body = op.body as tir.Reduce;
  const src = body.source as tir.BinaryOp;
  const swap = (f: PrimExpr): PrimExpr => {
    if (f.kind !== 'ProducerLoad' || f.producer !== B) return f;
    const l = f as ProducerLoad;
    const j = l.indices[nPos]!;
    const c = tir.constant(bn, 'int32');
    return tir.producerLoad(packed, [...l.indices.slice(0, r - 2), tir.binary('floordiv', j, c), l.indices[kPos]!, tir.binary('floormod', j, c)]);
  };
  const newSrc = tir.binary('mul', swap(src.a), swap(src.b));
  const newBody = tir.reduce(body.combiner, newSrc, body.axis, body.condition);
  // A placeholder gets a stage too: lowering binds every tensor the schedule reads through its stage.
  const stage = new Stage(packed.op, false);
  s.addStage(stage, st);
  s.replaceOp(st, makeComputeOp(op.name, op.shape, op.axis, newBody, { tag: op.tag, attrs: op.attrs }));
  s.recordStep('packPanels', { tensor: B.name, bn, ...(asInput ? { as_input: 1 } : {}) });
  return { packed, stage: asInput ? undefined : stage, transposed: nPos < kPos };
}
