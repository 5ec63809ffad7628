// tests/tir/arith/expr_key_dtype.test.ts — exprKey tells constants of different dtypes apart (a bool
// 1 from an int32 1, a float16 constant from a float32 one of the same stored value). Before,
// both keys were `1` / `0.1…f`, so sameExpr of two reductions (which compares keys) called
// `sum(float32(int32(float16 c) + k))` and `sum(float32(int32(float32 c) + k))` the same while it calls the two casts
// different (sameExpr compares dtypes everywhere else).

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { exprKey, sameExpr } from '../../../tir/arith/index.js';

describe('exprKey: the dtype of a constant', () => {
  it('int32 1 and bool 1, float32 and float16 constants have different keys', () => {
    expect(exprKey(t.intImm(1)) === exprKey(t.intImm(1, 'bool'))).toBe(false);
    const c = Math.fround(0.1);
    expect(exprKey(t.floatImm(c)) === exprKey(t.floatImm(c, 'float16'))).toBe(false);
    // the common dtypes keep their keys (the canonical order of atoms rests on them)
    expect(exprKey(t.intImm(7))).toBe('7');
    expect(exprKey(t.floatImm(0.5))).toBe('0.5f');
  });

  it('two reductions over constants of different dtypes are not the same, as the bare casts are not', () => {
    const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const c = Math.fround(0.1);
    const c16 = t.cast('int32', t.floatImm(c, 'float16'));
    const c32 = t.cast('int32', t.floatImm(c));
    expect(sameExpr(c16, c32)).toBe(false);
    const r = (e: t.PrimExpr): t.PrimExpr => t.reduce('sum', t.cast('float32', t.add(e, k.variable)), [k]);
    expect(sameExpr(r(c16), r(c32))).toBe(false);
    expect(sameExpr(r(c16), r(t.cast('int32', t.floatImm(c, 'float16'))))).toBe(true);
    const bool1 = t.cast('float32', t.intImm(1, 'bool'));
    const int1 = t.cast('float32', t.intImm(1));
    expect(sameExpr(bool1, int1)).toBe(false);
    const s = (e: t.PrimExpr): t.PrimExpr => t.reduce('max', t.add(e, t.cast('float32', k.variable)), [k]);
    expect(sameExpr(s(bool1), s(int1))).toBe(false);
    const b = (e: t.PrimExpr): t.PrimExpr => t.reduce('sum', t.cast('float32', k.variable), [k], t.and(t.lt(k.variable, t.intImm(3)), t.eq(e, e)));
    expect(sameExpr(b(t.intImm(1, 'bool')), b(t.intImm(1, 'bool')))).toBe(true);
  });
});
