// tests/tir/arith/simplify_expr_cache.test.ts — Simplifier's memo (tir/arith/simplify_expr.ts): an expression object
// already simplified under the current ranges is not rewritten again, and neither is a result (it is its own entry).
// Lowering hands the simplifier DAGs whose subexpressions are shared objects (an index reused by every guard of a
// tile); without the memo each use is rewritten again, so n nested shared uses cost 2ⁿ rewrites. The values are the
// same either way (so no value test sees it); the rewrite count, and a chain too deep for 2ⁿ, can.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Simplifier } from '../../../tir/arith/simplify_expr.js';
import { and, intImm, lt, variable, type PrimExpr } from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';

/** Counts Simplifier's private rewrite calls, per argument object; throws past 1000 (so 2⁴⁰ fails, not hangs). */
function countRewrites(): Map<PrimExpr, number> {
  const counts = new Map<PrimExpr, number>();
  let total = 0;
  const proto = Simplifier.prototype as unknown as { rewrite(e: PrimExpr): PrimExpr };
  const original = proto.rewrite;
  vi.spyOn(proto, 'rewrite').mockImplementation(function (this: Simplifier, e: PrimExpr) {
    counts.set(e, (counts.get(e) ?? 0) + 1);
    if (++total > 1000) throw new Error('Simplifier: over 1000 rewrites');
    return original.call(this, e);
  });
  return counts;
}

describe('Simplifier memo', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a shared subexpression is rewritten once; the same object again, or its result, not at all', () => {
    const x = variable('x');
    const c = lt(x, intImm(5));
    const counts = countRewrites();
    const s = new Simplifier();
    const out = s.simplify(and(c, c));
    expect(print(out)).toBe('x < 5');
    expect(counts.get(c)).toBe(1);
    const before = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(s.simplify(and(c, c).a)).toBe(out);
    expect(s.simplify(out)).toBe(out);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(before);
  });

  it('40 nested uses of one shared condition: 40-odd rewrites, not 2⁴⁰', () => {
    const x = variable('x');
    let e: PrimExpr = lt(x, intImm(5));
    for (let k = 0; k < 40; k++) e = and(e, e);
    const counts = countRewrites();
    expect(print(new Simplifier().simplify(e))).toBe('x < 5');
    // Each level once, and the innermost condition's operands.
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBeLessThan(50);
  });
});
