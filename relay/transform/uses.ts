// relay/transform/uses.ts — how many consumers each node of a function has (the function's result counts as one).

import { children, postOrder } from '../functor.js';
import type { Expr, RelayFunction } from '../nodes.js';

export function useCounts(f: RelayFunction): Map<Expr, number> {
  const uses = new Map<Expr, number>();
  for (const e of postOrder(f.body, false)) {
    if (e.kind === 'Function') continue;
    for (const c of children(e)) uses.set(c, (uses.get(c) ?? 0) + 1);
  }
  uses.set(f.body, (uses.get(f.body) ?? 0) + 1);
  if (f.body.kind === 'Tuple') for (const o of f.body.fields) uses.set(o, (uses.get(o) ?? 0) + 1);
  return uses;
}
