// relay/transform/fold_constant.ts — FoldConstant: every call whose arguments are all constants is
// evaluated (plain-JS evaluators of relay/op) and replaced by its value; tuple projections of tuples resolve.

import { ExprMutator } from '../functor.js';
import { constant, irModule, type Call, type Expr, type IRModule, type RelayFunction, type TupleGetItem } from '../nodes.js';
import { opDef } from '../op/registry.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';

class Folder extends ExprMutator {
  protected override visitCall(c0: Call): Expr {
    const c = super.visitCall(c0) as Call;
    if (typeof c.op !== 'string' || !c.args.every((a) => a.kind === 'Constant')) return c;
    const def = opDef(c.op);
    if (def.evaluate === undefined) return c;
    const d = def.evaluate(c.args.map((a) => (a.kind === 'Constant' ? a.data : undefined!)), c.attrs);
    return constant(d.values, d.shape);
  }

  protected override visit(e: Expr): Expr {
    const out = super.visit(e);
    if (out.kind === 'TupleGetItem' && (out as TupleGetItem).tuple.kind === 'Tuple') {
      const t = out as TupleGetItem;
      return (t.tuple as { fields: readonly Expr[] }).fields[t.index]!;
    }
    return out;
  }

  /** Fused (primitive) functions are kernels: their bodies are left alone. */
  protected override visitFunction(f: RelayFunction): Expr {
    return f.attrs.primitive ? f : super.visitFunction(f);
  }
}

/** relay.transform.FoldConstant. */
export const FoldConstant: Pass = {
  name: 'FoldConstant',
  run(mod: IRModule): IRModule {
    const main = new Folder().mutate(mod.main) as RelayFunction;
    return main === mod.main ? mod : InferType.run(irModule(main));
  },
};
