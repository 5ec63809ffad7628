// tests/tir/arith/simplify_float16.test.ts — the simplifier folds float16 constant arithmetic as float16
// arithmetic does: the exact result rounded once to the nearest half (ties to even), checked against an
// IEEE 754 reference written independently of the code (tests/tir/half_ref.ts: every half decoded from
// its bits). Before, a folded float16 constant kept its double value: (1 + 2⁻¹¹) − 1 folded to 2⁻¹¹
// where float16 arithmetic gives 0.

import { describe, expect, it } from 'vitest';
import { simplifyExpr } from '../../../tir/arith/index.js';
import * as t from '../../../tir/nodes.js';
import { HALVES, halfRef } from '../half_ref.js';

const h = (v: number): t.FloatImm => t.floatImm(v, 'float16');

/** The folded value of `e`, which must fold to a float16 constant. */
function folded(e: t.PrimExpr): number {
  const s = simplifyExpr(e);
  expect(s.kind, 'folds to a constant').toBe('FloatImm');
  expect(s.dtype).toBe('float16');
  return (s as t.FloatImm).value;
}

/** A seeded xorshift source in [0, 1). */
function rand(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

const JS: Record<'add' | 'sub' | 'mul' | 'div' | 'min' | 'max', (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, min: Math.min, max: Math.max,
};

describe('simplifyExpr: float16 constant arithmetic', () => {
  it('rounds each folded add, sub, mul, div to the nearest half (ties to even); min and max pick an operand', () => {
    const r = rand(1612);
    // Halves of every magnitude (subnormals to 65504), either sign; near pairs too, where add/sub cancel.
    const half = (): number => (r() < 0.5 ? -1 : 1) * HALVES[Math.floor(r() * HALVES.length)]!;
    for (let k = 0; k < 400; k++) {
      const a = half();
      const b = k % 4 === 0 ? a * (1 + (r() < 0.5 ? -1 : 1) * 2 ** -(1 + Math.floor(r() * 10))) : half();
      const bh = halfRef(b);
      for (const op of Object.keys(JS) as (keyof typeof JS)[]) {
        if (op === 'div' && bh === 0) continue;
        const want = halfRef(JS[op](a, bh));
        expect(folded(t.binary(op, h(a), h(bh))), `${a} ${op} ${bh}`).toBe(want);
      }
    }
  });

  it('folds the corners: ties to even, overflow at 65520, cancellation, subnormals', () => {
    // 1 + 2⁻¹¹ is halfway between 1 and 1 + 2⁻¹⁰: the even mantissa, 1. 1 + 3·2⁻¹¹ rounds up to 1 + 2⁻⁹.
    expect(folded(t.add(h(1), h(2 ** -11)))).toBe(1);
    expect(folded(t.add(h(1), h(3 * 2 ** -11)))).toBe(1 + 2 ** -9);
    // Each step rounds: (1 + 2⁻¹¹) − 1 is 1 − 1.
    expect(folded(t.sub(t.add(h(1), h(2 ** -11)), h(1)))).toBe(0);
    // 65504 + 8 = 65512 rounds back to 65504; 65504 + 16 = 65520, the midpoint to 2¹⁶, overflows.
    expect(folded(t.add(h(65504), h(8)))).toBe(65504);
    expect(folded(t.add(h(65504), h(16)))).toBe(Infinity);
    expect(folded(t.mul(h(-256), h(256)))).toBe(-Infinity);
    // The smallest subnormal 2⁻²⁴ halved is a tie between 0 and 2⁻²⁴: 0 (even); 3·2⁻²⁵ rounds to 2·2⁻²⁴.
    expect(folded(t.div(h(2 ** -24), h(2)))).toBe(0);
    expect(folded(t.mul(h(3 * 2 ** -24), h(0.5)))).toBe(2 * 2 ** -24);
    // 1 / 3 is 0x3555: 1 + 0x155/1024 over 4.
    expect(folded(t.div(h(1), h(3)))).toBe((1 + 0x155 / 1024) / 4);
  });

  it('a float16 constant holds a half; a float32 one cast to float16 rounds, back to float32 is exact', () => {
    expect(h(0.1).value).toBe(halfRef(0.1));
    expect(folded(t.cast('float16', t.floatImm(1 + 2 ** -11 + 2 ** -20, 'float32')))).toBe(1 + 2 ** -10);
    const back = simplifyExpr(t.cast('float32', h(0.1)));
    expect(back).toMatchObject({ kind: 'FloatImm', dtype: 'float32', value: halfRef(0.1) });
  });
});
