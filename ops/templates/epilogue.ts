// ops/templates/epilogue.ts — finds and fuses an anchor op's elementwise epilogue (bias, activation,
// residual add) as TVM's traverse_inline: injective stages between the anchor and its output are inlined,
// so the anchor's accumulator tile is computed at the output's tile and the epilogue runs on it in registers.

import type { Schedule } from '../../schedule/schedule.js';
import { inputTensors, postOrderOps, tensorOf, type Operation, type Tensor } from '../../schedule/tensor.js';

/** How an anchor is laid out for its template: the stage to tile, and the stages inlined into it. */
export interface FusedAnchor {
  /** The tensor whose loops the template tiles: the fused output, or the anchor itself. */
  readonly out: Tensor;
  /** The injective stages inlined (the epilogue), producers first. */
  readonly inlined: readonly Tensor[];
}

function sameDims(a: Tensor, b: Tensor): boolean {
  return a.ndim === b.ndim && a.dims.every((d, i) => d === b.dims[i]);
}

function isInjective(op: Operation): boolean {
  return op.kind === 'compute' && op.reduceAxis.length === 0;
}

/** Whether `op` reads `target` through any chain of stages. */
function readsOp(op: Operation, target: Operation, memo: Map<Operation, boolean>): boolean {
  const m = memo.get(op);
  if (m !== undefined) return m;
  let r = false;
  for (const t of inputTensors(op)) {
    if (t.op === target || readsOp(t.op, target, memo)) {
      r = true;
      break;
    }
  }
  memo.set(op, r);
  return r;
}

/**
 * The anchor's epilogue within `outs`: the output that reads the anchor through injective stages only,
 * with the same shape (so the anchor's tile maps one-to-one onto the output's). Those stages, and the
 * injective stages feeding them (a reshaped bias), are computeInline'd. Without such an output, the
 * anchor is its own output tile and nothing is inlined.
 */
export function fuseEpilogue(s: Schedule, anchor: Tensor, outs: readonly Tensor[]): FusedAnchor {
  const ops = postOrderOps(outs);
  const memo = new Map<Operation, boolean>();
  const readers = ops.filter((op) => op !== anchor.op && readsOp(op, anchor.op, memo));
  const outOps = new Set(outs.map((t) => t.op));
  const candidates = readers.filter((op) => outOps.has(op));
  if (outOps.has(anchor.op) || candidates.length !== 1) return { out: anchor, inlined: [] };
  const out = tensorOf(candidates[0]!);
  // Every reader of the anchor must be the output or an injective, non-output stage the output reads.
  const outMemo = new Map<Operation, boolean>();
  const chainOk = sameDims(out, anchor) && isInjective(out.op) && readers.every((op) =>
    op === out.op || (isInjective(op) && !outOps.has(op) && readsOp(out.op, op, outMemo)));
  if (!chainOk) return { out: anchor, inlined: [] };
  // Inline every injective non-output stage the output reads, stopping at the anchor and at reductions.
  const inlined: Tensor[] = [];
  const seen = new Set<Operation>();
  const visit = (op: Operation): void => {
    for (const t of inputTensors(op)) {
      if (t.op === anchor.op || seen.has(t.op)) continue;
      seen.add(t.op);
      if (!isInjective(t.op) || outOps.has(t.op)) continue;
      visit(t.op);
      inlined.push(t);
    }
  };
  visit(out.op);
  for (const t of inlined) s.stage(t).computeInline();
  return { out, inlined };
}
