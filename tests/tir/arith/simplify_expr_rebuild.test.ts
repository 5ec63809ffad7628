// tests/tir/arith/simplify_expr_rebuild.test.ts — simplifyExpr rebuilds a node when any one of its
// parts simplifies (not only when all do) and returns the very same node when none does: a Ramp
// whose base or stride alone simplifies, a Reduce whose source or condition alone simplifies under
// its axis ranges. Expected forms written by hand; ramp lanes checked against plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { simplifyExpr } from '../../../tir/arith/index.js';
import { print } from '../../../tir/printer.js';

const x = t.variable('x');
const y = t.variable('y');
const zero = (v: t.PrimExpr): t.PrimExpr => t.add(v, t.mul(t.intImm(0), v)); // simplifies to v

describe('simplifyExpr: Ramp', () => {
  it('simplifies the base alone, the stride alone, or both; keeps an unchanged ramp', () => {
    const cases: [t.Ramp, string][] = [
      [t.ramp(zero(x), y, 4), print(t.ramp(x, y, 4))],
      [t.ramp(x, zero(y), 4), print(t.ramp(x, y, 4))],
      [t.ramp(zero(x), zero(y), 4), print(t.ramp(x, y, 4))],
      [t.ramp(t.add(x, t.intImm(2)), t.sub(t.intImm(5), t.intImm(2)), 8), print(t.ramp(t.add(x, t.intImm(2)), t.intImm(3), 8))],
    ];
    for (const [e, want] of cases) {
      const s = simplifyExpr(e);
      expect(print(s)).toBe(want);
      const r = s as t.Ramp;
      expect(r.kind).toBe('Ramp');
      expect(r.lanes).toBe(e.lanes);
    }
    const plain = t.ramp(x, y, 4);
    expect(simplifyExpr(plain)).toBe(plain);
    // a stride that simplifies to 0 is a broadcast of the base
    expect(print(simplifyExpr(t.ramp(zero(x), t.sub(y, y), 4)))).toBe(print(t.broadcast(x, 4)));
  });
});

describe('simplifyExpr: Reduce', () => {
  const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
  const kv = k.variable;
  it('rebuilds when only the source simplifies (the condition kept as is)', () => {
    const cond = t.lt(kv, y);
    const r = t.reduce('sum', t.cast('float32', t.floormod(kv, t.intImm(4))), [k], cond);
    const s = simplifyExpr(r) as t.Reduce;
    expect(s).not.toBe(r);
    expect(print(s.source)).toBe(print(t.cast('float32', kv)));
    expect(s.condition).toBe(cond);
    expect(s.combiner).toBe('sum');
    expect(s.axis).toBe(r.axis);
  });

  it('rebuilds when only the condition simplifies (the source kept as is)', () => {
    const src = t.cast('float32', kv);
    const r = t.reduce('max', src, [k], t.and(t.lt(kv, t.intImm(4)), t.lt(y, kv)));
    const s = simplifyExpr(r) as t.Reduce;
    expect(s).not.toBe(r);
    expect(s.source).toBe(src);
    expect(print(s.condition)).toBe(print(t.lt(y, kv)));
    expect(s.combiner).toBe('max');
  });

  it('returns the same node when nothing simplifies', () => {
    const r = t.reduce('sum', t.cast('float32', kv), [k], t.lt(y, kv));
    expect(simplifyExpr(r)).toBe(r);
  });
});
