// tests/tir/arith/int_bound.test.ts — interval bounds of index expressions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { constIntBound } from '../../../tir/arith/int_bound.js';

const c = (n: number): t.IntImm => t.intImm(n);
const [yo, yi, n] = [t.variable('yo'), t.variable('yi'), t.variable('n')];
const R = new Map([[yo, t.range(0, 8)], [yi, t.range(0, 8)]]);

describe('constIntBound', () => {
  it('bounds an affine index from the loop ranges', () => {
    expect(constIntBound(t.add(t.mul(yo, c(8)), yi), R)).toEqual({ min: 0, max: 63 });
    expect(constIntBound(t.sub(c(10), t.mul(yi, c(-2))), R)).toEqual({ min: 10, max: 24 });
  });

  it('bounds floordiv, floormod and C-style mod by constants', () => {
    expect(constIntBound(t.floordiv(t.add(t.mul(yo, c(8)), yi), c(8)), R)).toEqual({ min: 0, max: 7 });
    expect(constIntBound(t.floormod(n, c(8)), R)).toEqual({ min: 0, max: 7 });
    expect(constIntBound(t.floormod(yi, c(16)), R)).toEqual({ min: 0, max: 7 });
    // yi + 8 ∈ [8, 15]: one period of 8, shifted down by 8.
    expect(constIntBound(t.floormod(t.add(yi, c(8)), c(8)), R)).toEqual({ min: 0, max: 7 });
    // yi + 12 ∈ [12, 19] spans two periods of 16: the whole [0, 15].
    expect(constIntBound(t.floormod(t.add(yi, c(12)), c(16)), R)).toEqual({ min: 0, max: 15 });
    // yi + 17 ∈ [17, 24] lies in [16, 32): [1, 8].
    expect(constIntBound(t.floormod(t.add(yi, c(17)), c(16)), R)).toEqual({ min: 1, max: 8 });
    expect(constIntBound(t.mod(t.sub(yi, c(4)), c(3)), R)).toEqual({ min: -2, max: 2 });
  });

  it('is unbounded for variables without a range, and follows symbolic ranges', () => {
    expect(constIntBound(n)).toEqual({ min: -Infinity, max: Infinity });
    const k = t.variable('k');
    // k ∈ [yo * 2, yo * 2 + 4)
    expect(constIntBound(k, new Map([...R, [k, t.range(t.mul(yo, c(2)), 4)]]))).toEqual({ min: 0, max: 17 });
  });

  it('contains every value the expression takes (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: -20, max: 20 }), (a, d, k) => {
      const e = t.floormod(t.add(t.mul(yo, c(a)), t.floordiv(t.add(yi, c(k)), c(d))), c(d + 2));
      const b = constIntBound(e, R);
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const inner = Math.floor((x + k) / d);
          const v = y * a + inner;
          const m = v - Math.floor(v / (d + 2)) * (d + 2);
          expect(m).toBeGreaterThanOrEqual(b.min);
          expect(m).toBeLessThanOrEqual(b.max);
        }
      }
    }));
  });
});

describe('constIntBound precision (mutants that survived a sampled run)', () => {
  it('bounds truncating division, int casts, broadcasts, ramps and abs exactly', () => {
    // yi − 4 ∈ [−4, 3]; truncated by 3: [−1, 1].
    expect(constIntBound(t.div(t.sub(yi, c(4)), c(3)), R)).toEqual({ min: -1, max: 1 });
    // A cast between integer types keeps the bound; a cast of a float gives none.
    expect(constIntBound(t.cast('int32', t.lt(yi, c(3))), R)).toEqual({ min: 0, max: 1 });
    expect(constIntBound(t.cast('int32', t.floatImm(2.5)), R).max).toBe(Infinity);
    expect(constIntBound(t.broadcast(t.add(yi, c(1)), 4), R)).toEqual({ min: 1, max: 8 });
    // ramp(yi, −2, 4) = yi, yi − 2, yi − 4, yi − 6: [−6, 7].
    expect(constIntBound(t.ramp(yi, c(-2), 4), R)).toEqual({ min: -6, max: 7 });
    // |yi − 5| for yi ∈ [0, 7]: [0, 5].
    expect(constIntBound(t.call('abs', [t.sub(yi, c(5))], 'int32'), R)).toEqual({ min: 0, max: 5 });
  });
});
