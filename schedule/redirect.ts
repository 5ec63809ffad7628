// schedule/redirect.ts — rewrites a body's reads of one operation into reads of another tensor
// (same indices): how graph primitives splice a new stage between producer and readers.

import * as tir from '../tir/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { StmtExprMutator } from '../tir/functor.js';
import { Tensor, type Operation } from './tensor.js';

class RedirectReads extends StmtExprMutator {
  constructor(private readonly from: Operation, private readonly to: Tensor) {
    super();
  }
  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind === 'ProducerLoad' && e.producer instanceof Tensor && e.producer.op === this.from) {
      return tir.producerLoad(this.to, e.indices.map((i) => this.mutateExpr(i)));
    }
    return super.mutateExpr(e);
  }
}

/** `body` with every read of `from` reading `to` instead (the same object when there is none). */
export function redirectReads(body: PrimExpr, from: Operation, to: Tensor): PrimExpr {
  return new RedirectReads(from, to).mutateExpr(body);
}
