// schedule/inline.ts — computeInline: replaces reads of inlined stages by their bodies, with
// the inlined op's axes substituted by the read's indices (transitively).

import { StmtExprMutator, substituteExpr } from '../tir/functor.js';
import type { PrimExpr, Var } from '../tir/nodes.js';
import type { ComputeOp, Operation } from './tensor.js';
import { Tensor } from './tensor.js';

class InlineReads extends StmtExprMutator {
  constructor(private readonly bodies: ReadonlyMap<Operation, PrimExpr>) {
    super();
  }
  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind === 'ProducerLoad' && e.producer instanceof Tensor) {
      const op = e.producer.op;
      const body = this.bodies.get(op);
      if (body !== undefined && op.kind === 'compute') {
        const indices = e.indices.map((i) => this.mutateExpr(i));
        const map = new Map<Var, PrimExpr>();
        op.axis.forEach((a, d) => map.set(a.variable, indices[d]!));
        return substituteExpr(body, map);
      }
    }
    return super.mutateExpr(e);
  }
}

/**
 * The bodies of `ops` (in dataflow order) with every read of an op in `inlined` replaced by
 * that op's body. Returns the body for each op that is not itself inlined.
 */
export function inlineBodies(ops: readonly ComputeOp[], inlined: ReadonlySet<Operation>): Map<Operation, PrimExpr> {
  const inlinedBodies = new Map<Operation, PrimExpr>();
  const out = new Map<Operation, PrimExpr>();
  const mut = new InlineReads(inlinedBodies);
  for (const op of ops) {
    const body = inlinedBodies.size === 0 ? op.body : mut.mutateExpr(op.body);
    if (inlined.has(op)) inlinedBodies.set(op, body);
    else out.set(op, body);
  }
  return out;
}
