// relay/transform/infer_type.ts — InferType: fills every node's checked type from the operators'
// type relations (shapes and dtypes), naming the op and its source node when a relation fails.

import { ExprMutator } from '../functor.js';
import { irModule, typeOf, withType, type Expr, type IRModule } from '../nodes.js';
import { opDef } from '../op/registry.js';
import { asTensor, tupleType, typeEqual, type Type } from '../ty.js';
import type { Pass } from './pass.js';

/** The type of a node whose children are typed. */
export function computeType(e: Expr): Type {
  switch (e.kind) {
    case 'Var': return e.typeAnnotation;
    case 'Constant': return typeOf(e);
    case 'Tuple': return tupleType(e.fields.map(typeOf));
    case 'TupleGetItem': {
      const t = typeOf(e.tuple);
      if (t.kind !== 'TupleType' || e.index >= t.fields.length) throw new RangeError(`TupleGetItem: index ${e.index} is out of range of ${t.kind}`);
      return t.fields[e.index]!;
    }
    case 'Function': return typeOf(e.body);
    case 'Call': {
      if (typeof e.op !== 'string') {
        const f = e.op;
        if (f.params.length !== e.args.length) throw new RangeError(`call of ${f.attrs.name ?? 'a function'}: ${e.args.length} arguments for ${f.params.length} parameters`);
        f.params.forEach((p, i) => {
          if (!typeEqual(p.typeAnnotation, typeOf(e.args[i]!))) throw new TypeError(`call of ${f.attrs.name ?? 'a function'}: argument ${i} does not match parameter %${p.name}`);
        });
        return typeOf(f.body);
      }
      const def = opDef(e.op);
      if (def.arity !== 'variadic' && def.arity !== e.args.length) {
        throw new RangeError(`${e.op}: takes ${def.arity} arguments, got ${e.args.length}${e.span ? ` (node ${e.span})` : ''}`);
      }
      const args = e.args.map((a, i) => asTensor(typeOf(a), `${e.op} argument ${i}`));
      try {
        return def.inferType(args, e.attrs);
      } catch (err) {
        if (e.span !== undefined && err instanceof Error) err.message = `${err.message} (node '${e.span}')`;
        throw err;
      }
    }
  }
}

class TypeInferencer extends ExprMutator {
  protected override visit(e: Expr): Expr {
    // Vars and constants carry their type already (parameters must keep their identity).
    if (e.kind === 'Var' || e.kind === 'Constant') return e;
    const rebuilt = super.visit(e);
    const t = computeType(rebuilt);
    if (rebuilt.checkedType !== undefined && typeEqual(rebuilt.checkedType, t)) return rebuilt;
    return withType(rebuilt, t);
  }
}

/** Types one expression (and everything under it). */
export function inferExpr<E extends Expr>(e: E): E {
  return new TypeInferencer().mutate(e) as E;
}

/** relay.transform.InferType: every node of the module typed; the same module when nothing changed. */
export const InferType: Pass = {
  name: 'InferType',
  run(mod: IRModule): IRModule {
    const main = inferExpr(mod.main);
    return main === mod.main ? mod : irModule(main);
  },
};
