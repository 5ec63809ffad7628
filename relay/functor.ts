// relay/functor.ts — the one visitor/mutator of the graph IR: a memoized (DAG-aware) rewrite that
// returns the same node when nothing changed, and a post-order walk.

import { assertNever } from '../tir/nodes.js';
import { call, func, tuple, tupleGetItem, type Call, type Expr, type RelayFunction, type Var } from './nodes.js';

/**
 * Rewrites a graph bottom-up. Each node is visited once (shared subgraphs stay shared); override
 * `visitCall` & co. and call `super` for the default rebuild, which keeps the node when its
 * children are unchanged. Functions nested as call ops (fused functions) are visited as well.
 */
export class ExprMutator {
  protected readonly memo = new Map<Expr, Expr>();

  mutate(e: Expr): Expr {
    const hit = this.memo.get(e);
    if (hit !== undefined) return hit;
    const out = this.visit(e);
    this.memo.set(e, out);
    return out;
  }

  protected visit(e: Expr): Expr {
    switch (e.kind) {
      case 'Var': return this.visitVar(e);
      case 'Constant': return e;
      case 'Call': return this.visitCall(e);
      case 'Tuple': {
        const fields = e.fields.map((f) => this.mutate(f));
        return fields.every((f, i) => f === e.fields[i]) ? e : tuple(fields);
      }
      case 'TupleGetItem': {
        const t = this.mutate(e.tuple);
        return t === e.tuple ? e : tupleGetItem(t, e.index);
      }
      case 'Function': return this.visitFunction(e);
      default: return assertNever(e, 'relay expression');
    }
  }

  protected visitVar(v: Var): Expr {
    return v;
  }

  protected visitCall(c: Call): Expr {
    const op = typeof c.op === 'string' ? c.op : (this.mutate(c.op) as RelayFunction);
    const args = c.args.map((a) => this.mutate(a));
    if (op === c.op && args.every((a, i) => a === c.args[i])) return c;
    return call(op, args, c.attrs, c.span);
  }

  protected visitFunction(f: RelayFunction): Expr {
    const body = this.mutate(f.body);
    return body === f.body ? f : func(f.params, body, f.attrs);
  }
}

/** Children of a node, in argument order (a call's function op first). */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'Var': case 'Constant': return [];
    case 'Call': return typeof e.op === 'string' ? e.args : [e.op, ...e.args];
    case 'Tuple': return e.fields;
    case 'TupleGetItem': return [e.tuple];
    case 'Function': return [e.body];
    default: return assertNever(e, 'relay expression');
  }
}

/** Every node reachable from `root` once, producers before consumers. `enterFunctions=false` treats nested functions as leaves. */
export function postOrder(root: Expr, enterFunctions = true): Expr[] {
  const seen = new Set<Expr>();
  const order: Expr[] = [];
  // Iterative: imported models have chains thousands of nodes long.
  const stack: [Expr, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [e, done] = stack.pop()!;
    if (done) {
      order.push(e);
      continue;
    }
    if (seen.has(e)) continue;
    seen.add(e);
    stack.push([e, true]);
    if (e.kind === 'Function' && !enterFunctions && e !== root) continue;
    const cs = children(e);
    for (let i = cs.length - 1; i >= 0; i--) if (!seen.has(cs[i]!)) stack.push([cs[i]!, false]);
  }
  return order;
}
