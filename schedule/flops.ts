// schedule/flops.ts — floating-point operation counts of compute ops, for GFLOP/s reports.
// Counted as AutoTVM does on the value expression: each arithmetic op, comparison, logical op
// and intrinsic call is 1 (so a multiply-add is 2); a reduction costs its source plus one
// combine per iteration. Index arithmetic inside tensor reads and casts are not counted.

import type { PrimExpr } from '../tir/nodes.js';
import { assertNever } from '../tir/nodes.js';
import { postOrderOps, type Operation, type Tensor } from './tensor.js';

function exprFlops(e: PrimExpr): number {
  switch (e.kind) {
    case 'IntImm':
    case 'FloatImm':
    case 'Var':
    case 'ProducerLoad':
    case 'BufferLoad':
    case 'Ramp':
      return 0;
    case 'BinaryOp':
    case 'CompareOp':
    case 'LogicalOp':
      return 1 + exprFlops(e.a) + exprFlops(e.b);
    case 'Not':
      return 1 + exprFlops(e.a);
    case 'Select':
      return exprFlops(e.condition) + Math.max(exprFlops(e.trueValue), exprFlops(e.falseValue));
    case 'Cast':
      return exprFlops(e.value);
    case 'Call':
      if (e.op === 'tir.if_then_else') return exprFlops(e.args[0]!) + Math.max(exprFlops(e.args[1]!), exprFlops(e.args[2]!));
      return (e.op === 'tir.storage_sync' ? 0 : 1) + e.args.reduce((s, a) => s + exprFlops(a), 0);
    case 'Broadcast':
      return exprFlops(e.value);
    case 'Let':
      return exprFlops(e.value) + exprFlops(e.body);
    case 'Reduce': {
      const iters = e.axis.reduce((n, a) => n * (a.dom.extent.kind === 'IntImm' ? a.dom.extent.value : 1), 1);
      return iters * (1 + exprFlops(e.source));
    }
    default:
      return assertNever(e, 'expression');
  }
}

/** FLOPs of one operation (0 for placeholders). */
export function opFlops(op: Operation): number {
  if (op.kind === 'placeholder') return 0;
  const elems = op.shape.reduce((a, b) => a * b, 1);
  return elems * exprFlops(op.body);
}

/** Total FLOPs to compute `tensors` from their inputs (every compute op reachable once). */
export function flopCount(tensors: Tensor | readonly Tensor[]): number {
  const outs = Array.isArray(tensors) ? tensors : [tensors as Tensor];
  return postOrderOps(outs).reduce((s, op) => s + opFlops(op), 0);
}
