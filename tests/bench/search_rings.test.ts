// tests/bench/search_rings.test.ts — bench/search_rings.ts: measured configs grouped by knob distance from the default,
// checked against a brute force over a whole (small, multi-filtered) space with digits taken apart by hand.

import { describe, expect, it } from 'vitest';
import { ConfigSpace } from '../../autotune/space.js';
import { Rng } from '../../autotune/rng.js';
import { defaultRings, indicesCarryOver, knobChanges, knobsDiffering } from '../../bench/search_rings.js';

/** 4 knobs, 6·3·4·2 = 144 configs; the filter drops configs whose tile_y inner factor × unroll step is 32 or more. */
function smallSpace(): ConfigSpace {
  const s = new ConfigSpace();
  s.defineSplit('tile_y', 12);
  s.defineKnob('order', ['yx', 'xy', 'yxy']);
  s.defineKnob('unroll', [0, 4, 8, 16]);
  s.defineKnob('parallel', [false, true]);
  s.multiFilter((c) => (c.getSplit('tile_y').size[1]! * (c.getKnob('unroll').val as number) >= 32 ? 'tile too unrolled' : undefined));
  return s;
}

/** Digits of an index by hand (first knob least significant), independent of ConfigSpace.pointToKnobs. */
function digits(dims: readonly number[], index: number): number[] {
  return dims.map((d) => { const v = index % d; index = Math.floor(index / d); return v; });
}

describe('defaultRings', () => {
  it('counts valid and measured configs per ring and picks each ring\'s best as a brute force does', () => {
    const space = smallSpace();
    const dims = space.dims;
    expect(dims).toEqual([6, 3, 4, 2]);
    const def = space.knobsToPoint([1, 0, 1, 1]);
    expect(space.isIndexValid(def)).toBe(true);
    const rng = new Rng(7);
    const cost = new Map<number, number>();
    for (let i = 0; i < space.length; i++) if (space.isIndexValid(i) && rng.next() < 0.5) cost.set(i, Math.round(rng.next() * 20));
    cost.set(def, 10);
    const dist = (c: number): number => { const a = digits(dims, def); return digits(dims, c).filter((v, k) => v !== a[k]).length; };
    const brute = (lo: number, hi: number) => {
      let valid = 0, measured = 0;
      let best: { index: number; gflops: number } | undefined;
      for (let i = 0; i < space.length; i++) {
        const d = dist(i);
        if (d < lo || d > hi) continue;
        if (space.isIndexValid(i)) valid++;
        const g = cost.get(i);
        if (g === undefined) continue;
        measured++;
        if (!best || g > best.gflops) best = { index: i, gflops: g };
      }
      return { valid, measured, best };
    };
    const rings = defaultRings(space, def, cost);
    const b1 = brute(1, 1), b2 = brute(2, 2), bFar = brute(3, 4);
    expect(rings.one).toEqual(b1);
    expect(rings.two).toEqual(b2);
    expect(rings.far).toEqual({ ...bFar, valid: Infinity });
    // Every measured config but the default lands in one ring; the filter left some configs out of the rings.
    expect(rings.one.measured + rings.two.measured + rings.far.measured).toBe(cost.size - 1);
    expect(b1.valid + b2.valid).toBeLessThan([...Array(space.length).keys()].filter((i) => dist(i) === 1 || dist(i) === 2).length);
  });

  it('breaks ties by the lower index and leaves an unmeasured ring without a best', () => {
    const space = smallSpace();
    const def = space.knobsToPoint([0, 0, 0, 0]);
    const a = space.knobsToPoint([0, 1, 0, 0]);
    const b = space.knobsToPoint([0, 0, 0, 1]);
    const rings = defaultRings(space, def, new Map([[b, 5], [a, 5], [def, 1]]));
    expect(rings.one).toMatchObject({ measured: 2, best: { index: Math.min(a, b), gflops: 5 } });
    expect(rings.two.best).toBeUndefined();
    expect(rings.far).toEqual({ valid: Infinity, measured: 0 });
  });
});

describe('knobsDiffering / knobChanges', () => {
  it('name the knobs a config changes, with the values a tuning log writes', () => {
    const space = smallSpace();
    const def = space.knobsToPoint([1, 0, 1, 1]);
    const to = space.knobsToPoint([1, 2, 1, 0]);
    expect(knobsDiffering(space, def, to)).toEqual([1, 3]);
    expect(knobsDiffering(space, def, def)).toEqual([]);
    expect(knobChanges(space, def, to)).toBe('order "yx"→"yxy", parallel true→false');
    expect(() => knobsDiffering(space, def, space.length)).toThrow(RangeError);
  });
});

describe('indicesCarryOver', () => {
  it('holds for the same size and for every prefix of the knobs (knobs appended last), not for other sizes', () => {
    const space = smallSpace(); // dims 6, 3, 4, 2
    for (const then of [1, 6, 18, 72, 144]) expect(indicesCarryOver(space, then), `then ${then}`).toBe(true);
    // 48 = 6·4·2 (the 3-valued knob inserted in the middle) and 36 = 144 / 4 (the unroll knob inserted) renumber configs.
    for (const then of [48, 36, 12, 288, 0]) expect(indicesCarryOver(space, then), `then ${then}`).toBe(false);
  });
});
