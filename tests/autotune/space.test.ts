// tests/autotune/space.test.ts — ConfigSpace: knob enumeration as AutoTVM, index ⇄ entity, log layout, fallback.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getFactors } from '../../autotune/knobs/split.js';
import { Rng } from '../../autotune/rng.js';
import { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import * as tir from '../../tir/nodes.js';

function matmulLikeSpace(m: number, n: number, k: number): ConfigSpace {
  const s = new ConfigSpace();
  s.defineSplit('tile_y', m, { numOutputs: 3 });
  s.defineSplit('tile_x', n, { policy: 'power2' });
  s.defineSplit('tile_k', { extent: k }, { policy: 'factors', maxFactor: 16 });
  s.defineReorder('order', ['a', 'b', 'c'], 'all');
  s.defineAnnotate('ann', ['y', 'x'], 'try_unroll_vec');
  s.defineKnob('unroll', [0, 16, 'auto', { depth: 2 }]);
  return s;
}

describe('split knob', () => {
  it('enumerates divisible factor splits in AutoTVM order', () => {
    const s = new ConfigSpace();
    s.defineSplit('t', 12, { numOutputs: 2 });
    const sizes = Array.from({ length: s.length }, (_, i) => s.get(i).getSplit('t').size);
    expect(sizes).toEqual([[12, 1], [6, 2], [4, 3], [3, 4], [2, 6], [1, 12]]);
  });

  it('counts three-way factor splits as ordered factorizations', () => {
    const s = new ConfigSpace();
    s.defineSplit('t', 64, { numOutputs: 3 });
    // 64 = 2^6: ordered pairs (a, b) with a + b ≤ 6 → 28
    expect(s.length).toBe(28);
    const inner = s.get(s.length - 1).getSplit('t').size;
    expect(inner[0]! * inner[1]! * inner[2]!).toBe(64);
  });

  it('power2 keeps tails and computes the outer size by ceiling', () => {
    const s = new ConfigSpace();
    s.defineSplit('t', 100, { policy: 'power2' });
    expect(s.length).toBe(7);
    expect(s.get(6).getSplit('t').size).toEqual([2, 64]);
    expect(s.get(6).toData().entity[0]).toEqual(['t', 'sp', [-1, 64]]);
  });

  it('accepts an IterVar with a constant extent and candidates', () => {
    const iv = tir.iterVar(tir.range(0, 32), 'i', 'data');
    const s = new ConfigSpace();
    const e = s.defineSplit('t', iv, { policy: 'candidate', numOutputs: 3, candidates: [[-1, 4, 2], [2, 2, 8]] });
    expect(e.size).toEqual([4, 4, 2]);
    expect(s.length).toBe(2);
    expect(s.get(1).getSplit('t').size).toEqual([2, 2, 8]);
  });

  it('rejects bad definitions with clear errors', () => {
    const s = new ConfigSpace();
    expect(() => s.defineSplit('t', 0)).toThrow(/positive integer/);
    expect(() => s.defineSplit('t', 8, { numOutputs: 1 })).toThrow(/numOutputs/);
    s.defineSplit('t', 8);
    expect(() => s.defineSplit('t', 8)).toThrow(/defined twice/);
    expect(() => s.defineSplit('u', 8, { policy: 'candidate' })).toThrow(/candidates/);
  });

  it('applies a split as nested factors on a stage', () => {
    const calls: number[] = [];
    const stage = {
      split: (ax: string, o: { factor: number }): [string, string] => { calls.push(o.factor); return [`${ax}.o`, `${ax}.i`]; },
      reorder: () => undefined, unroll: () => undefined, vectorize: () => undefined, bind: () => undefined,
      fuse: (a: string, b: string) => `${a}+${b}`,
    };
    const s = new ConfigSpace();
    s.defineSplit('t', 64, { numOutputs: 3, policy: 'candidate', candidates: [[-1, 4, 2]] });
    expect(s.getSplit('t').apply(null, stage, 'x')).toEqual(['x.o', 'x.i.o', 'x.i.i']);
    expect(calls).toEqual([8, 2]);
  });
});

describe('reorder and annotate knobs', () => {
  it('reorder all / interval_all / candidate', () => {
    const s = new ConfigSpace();
    s.defineReorder('a', [0, 1, 2, 3], 'all');
    s.defineReorder('b', ['p', 'q', 'r', 's'], 'interval_all', { interval: [1, 3] });
    s.defineReorder('c', ['p', 'q', 'r'], 'candidate', [['r', 'q', 'p'], ['p', 'q', 'r']]);
    expect(s.dims).toEqual([24, 2, 2]);
    expect(s.get(24).getReorder('b').perm).toEqual([0, 2, 1, 3]);
    expect(s.get(48).getReorder('c').perm).toEqual([0, 1, 2]);
  });

  it('annotate spaces match AutoTVM sizes', () => {
    const s = new ConfigSpace();
    s.defineAnnotate('u', [1, 2, 3], 'try_unroll');
    s.defineAnnotate('v', [1, 2, 3], 'try_unroll_vec');
    s.defineAnnotate('b', [1, 2, 3, 4, 5], 'bind_gpu');
    // try_unroll_vec over 3 axes: 3^3 minus those with two or more 'vec' = 27 - 7 = 20
    expect(s.dims).toEqual([8, 20, 1]);
    expect(s.getAnnotate('b').anns).toEqual(['fuse', 'blockIdx.y', 'blockIdx.x', 'threadIdx.y', 'threadIdx.x']);
  });
});

describe('ConfigSpace indices', () => {
  const space = matmulLikeSpace(512, 100, 96);

  it('has the product of knob sizes as its length', () => {
    const factors = (n: number) => getFactors(n).length;
    const threeWay = getFactors(512).filter((f) => f <= 512).reduce((acc, a) => acc + getFactors(512 / a).length, 0);
    expect(space.dims).toEqual([threeWay, 7, getFactors(96).filter((f) => f <= 16).length, 6, 8, 4]);
    expect(space.length).toBe(space.dims.reduce((a, b) => a * b, 1));
    expect(factors(512)).toBe(10);
  });

  it('round-trips index → entity → log data → entity → index', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: space.length - 1 }), (i) => {
      const e = space.get(i);
      expect(e.index).toBe(i);
      const data = JSON.parse(JSON.stringify(e.toData())) as ReturnType<typeof e.toData>;
      expect(space.entityFromData(data).index).toBe(i);
      expect(space.knobsToPoint(space.pointToKnobs(i))).toBe(i);
    }), { numRuns: 300 });
  });

  it('round-trips over random spaces (fast-check)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 2, max: 4 }), fc.nat(),
      (a, b, outs, seed) => {
        const s = new ConfigSpace();
        s.defineSplit('a', a, { numOutputs: outs });
        s.defineSplit('b', b, { policy: 'power2' });
        s.defineKnob('k', [1, 2, 3]);
        const i = new Rng(seed).int(s.length);
        const e = s.get(i);
        const sa = e.getSplit('a').size;
        expect(sa.reduce((x, y) => x * y, 1)).toBe(a);
        expect(s.entityFromData(e.toData()).index).toBe(i);
      },
    ), { numRuns: 200 });
  });

  it('decodes indices above 2^32 exactly (a space of 2·100^5 configs)', () => {
    // Conv spaces pass 2^32 configs: decoding must not truncate to 32 bits ((t / len) | 0 would).
    const s = new ConfigSpace();
    s.defineKnob('k0', [0, 1]);
    for (let i = 1; i <= 5; i++) s.defineKnob(`k${i}`, Array.from({ length: 100 }, (_, v) => v));
    expect(s.length).toBe(2 * 100 ** 5);
    const digits = (index: number): number[] => {
      // Independent reference: mixed-radix digits with BigInt, first knob least significant.
      const out: number[] = [];
      let t = BigInt(index);
      for (const d of [2, 100, 100, 100, 100, 100]) {
        out.push(Number(t % BigInt(d)));
        t /= BigInt(d);
      }
      return out;
    };
    for (const index of [s.length - 1, 2 ** 32 + 5, 2 ** 32 - 1, 2 ** 31, 2 ** 33 + 12345]) {
      const knobs = s.pointToKnobs(index);
      expect(knobs).toEqual(digits(index));
      expect(s.knobsToPoint(knobs)).toBe(index);
      const e = s.get(index);
      expect(e.index).toBe(index);
      expect(e.toData().entity.map((it) => it[2])).toEqual(digits(index));
      expect(s.entityFromData(JSON.parse(JSON.stringify(e.toData()))).index).toBe(index);
    }
    expect(s.pointToKnobs(s.length - 1)).toEqual([1, 99, 99, 99, 99, 99]);
    expect(s.pointToKnobs(2 ** 32 + 5)).toEqual([1, 50, 36, 48, 47, 21]);
  });

  it('neighbour changes exactly one knob', () => {
    const rng = new Rng(3);
    fc.assert(fc.property(fc.integer({ min: 0, max: space.length - 1 }), (i) => {
      const j = space.neighbour(i, rng);
      const a = space.pointToKnobs(i);
      const b = space.pointToKnobs(j);
      expect(a.filter((x, k) => x !== b[k]).length).toBe(1);
    }), { numRuns: 200 });
  });

  it('rejects out-of-range indices and records of other spaces', () => {
    expect(() => space.get(space.length)).toThrow(/out of range/);
    expect(() => space.get(-1)).toThrow(/out of range/);
    const data = space.get(5).toData();
    expect(() => space.entityFromData({ ...data, entity: data.entity.slice(1) })).toThrow(/lacks knob 'tile_y'/);
    const bad = data.entity.map((it) => (it[0] === 'tile_x' ? ['tile_x', 'sp', [-1, 3]] as const : it));
    expect(() => space.entityFromData({ ...data, entity: bad })).toThrow(/not in the space/);
  });
});

describe('config modes', () => {
  it('a ConfigEntity validates definitions and resolves -1 from logs', () => {
    const space = matmulLikeSpace(64, 64, 64);
    const cfg = ConfigSpace.fromData(space.get(77).toData());
    expect(cfg.getSplit('tile_y').size[0]).toBe(-1);
    const ty = cfg.defineSplit('tile_y', 64, { numOutputs: 3 });
    expect(ty.size[0]! * ty.size[1]! * ty.size[2]!).toBe(64);
    expect(() => cfg.defineSplit('tile_y', 64, { numOutputs: 2 })).toThrow(/3 split sizes/);
    expect(() => cfg.defineKnob('missing', [1])).toThrow(/no knob 'missing'/);
    expect(() => cfg.defineReorder('unroll', [1, 2, 3], 'all')).toThrow(/knob knob/);
    expect(cfg.isFallback).toBe(false);
  });

  it('fallbackSplit follows AutoTVM examples', () => {
    const f = new FallbackConfigEntity();
    f.defineSplit('t', 128, { numOutputs: 3 });
    expect(f.fallbackSplit('t', [-1, 8, 4]).size).toEqual([4, 8, 4]);
    const g = new FallbackConfigEntity();
    g.defineSplit('t', 49, { numOutputs: 3 });
    expect(g.fallbackSplit('t', [-1, 8, 4]).size).toEqual([7, 7, 1]);
    expect(g.isFallback).toBe(true);
    g.defineKnob('u', [0, 16]);
    expect(g.fallbackKnob('u', 16)).toMatchObject({ val: 16 });
    expect(() => g.fallbackKnob('u', 3)).toThrow(/not one of its values/);
  });

  it('fallbackWithReference mimics the closest reference config', () => {
    const ref = new ConfigSpace();
    ref.defineSplit('t', 256, { numOutputs: 3 });
    ref.defineKnob('u', [0, 16]);
    const data = ref.entityFromData({ index: 0, code_hash: null, entity: [['t', 'sp', [-1, 8, 4]], ['u', 'ot', 16]] }).toData();
    const f = new FallbackConfigEntity();
    f.defineSplit('t', 96, { numOutputs: 3 });
    f.defineKnob('u', [0, 16]);
    expect(f.fallbackWithReference([data])).toBe(true);
    expect(f.getSplit('t').size).toEqual([3, 8, 4]);
    expect(f.getKnob('u').val).toBe(16);
  });
});
