// relay/transform/dead_code.ts — DeadCodeElimination for a let-free dataflow graph: projections of
// literal tuples collapse to the field (the rest of the tuple is dead), and fused functions drop
// parameters their body never reads (with the matching call arguments).

import { ExprMutator, postOrder } from '../functor.js';
import { call, func, irModule, type Call, type Expr, type IRModule, type RelayFunction } from '../nodes.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';

class Eliminator extends ExprMutator {
  protected override visit(e: Expr): Expr {
    if (e.kind === 'TupleGetItem' && e.tuple.kind === 'Tuple') return this.mutate(e.tuple.fields[e.index]!);
    return super.visit(e);
  }

  protected override visitCall(c0: Call): Expr {
    const c = super.visitCall(c0) as Call;
    if (typeof c.op === 'string' || !c.op.attrs.primitive) return c;
    const f = c.op;
    const used = new Set(postOrder(f.body).filter((x) => x.kind === 'Var'));
    const keep = f.params.map((p) => used.has(p));
    if (keep.every(Boolean)) return c;
    return call(func(f.params.filter((_, i) => keep[i]), f.body, f.attrs), c.args.filter((_, i) => keep[i]), c.attrs, c.span);
  }
}

/** relay.transform.DeadCodeElimination. */
export const DeadCodeElimination: Pass = {
  name: 'DeadCodeElimination',
  run(mod: IRModule): IRModule {
    const main = new Eliminator().mutate(mod.main) as RelayFunction;
    return main === mod.main ? mod : InferType.run(irModule(main));
  },
};
