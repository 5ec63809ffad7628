// tests/autotune/incumbent_mutation.test.ts — round 6 of issue 13: cross-basin exploration in the model-based
// tuner (ModelBasedTunerOptions.mutationShare): a share of each plan is the best measured config with one knob
// changed (mutateIncumbent, GATuner's mutation); picks are valid, distinct, new, one knob from the incumbent,
// reproducible per seed; with the option off the tuner's proposals are exactly what they were.

import { describe, expect, it } from 'vitest';
import type { CostModel } from '../../autotune/cost_model.js';
import { ModelBasedTuner, mutateIncumbent, type ModelOptimizer } from '../../autotune/model_based_tuner.js';
import { Rng } from '../../autotune/rng.js';
import { ConfigSpace } from '../../autotune/space.js';
import { FakeMeasure, indexScoreModel, lowestIndexOptimizer, syntheticGflops, syntheticSpace, syntheticTask } from './synthetic.js';

/** Knob positions where two configs of `space` differ. */
const diffKnobs = (space: ConfigSpace, a: number, b: number): number[] => {
  const ka = space.pointToKnobs(a);
  const kb = space.pointToKnobs(b);
  return ka.map((v, i) => (v === kb[i] ? -1 : i)).filter((i) => i >= 0);
};

describe('mutateIncumbent', () => {
  const space = syntheticSpace();

  it('returns a valid config one knob away from the incumbent, none taken, reproducibly per seed', () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 200; trial++) {
      const best = space.sample(rng);
      const taken = new Set<number>();
      // Take a few of the incumbent's neighbours away: they must never come back.
      for (let k = 0; k < 5; k++) taken.add(space.neighbour(best, rng));
      const seed = 100 + trial;
      const m = mutateIncumbent(space, best, new Rng(seed), (i) => taken.has(i));
      expect(m).toBeDefined();
      expect(taken.has(m!)).toBe(false);
      expect(space.isIndexValid(m!)).toBe(true);
      expect(diffKnobs(space, best, m!)).toHaveLength(1);
      expect(mutateIncumbent(space, best, new Rng(seed), (i) => taken.has(i))).toBe(m);
    }
  });

  it('changes every knob that has more than one value, to every other value, over many draws', () => {
    const best = space.sample(new Rng(5));
    const rng = new Rng(6);
    const seenValues = space.dims.map(() => new Set<number>());
    for (let k = 0; k < 3000; k++) {
      const m = mutateIncumbent(space, best, rng, () => false)!;
      const [j] = diffKnobs(space, best, m);
      seenValues[j!]!.add(space.pointToKnobs(m)[j!]!);
    }
    space.dims.forEach((d, j) => expect(seenValues[j]!.size).toBe(d - 1));
  });

  it('gives undefined when every one-knob change is taken (the tuner then picks at random)', () => {
    const s = new ConfigSpace();
    s.defineKnob('a', [1, 2]);
    s.defineKnob('b', [1, 2, 3]);
    const best = s.knobsToPoint([0, 0]);
    const near = new Set([s.knobsToPoint([1, 0]), s.knobsToPoint([0, 1]), s.knobsToPoint([0, 2])]);
    expect(mutateIncumbent(s, best, new Rng(1), (i) => near.has(i))).toBeUndefined();
    near.delete(s.knobsToPoint([0, 2]));
    expect(mutateIncumbent(s, best, new Rng(1), (i) => near.has(i))).toBe(s.knobsToPoint([0, 2]));
  });
});

/** ModelBasedTuner proposals at commit cba0022 (before mutationShare): seed 4, ε 0.25, the fake model and optimizer below. */
const BEFORE_ROUND6_SEED4 = [
  25131, 349950, 67929, 312490, 25584, 122480, 95648, 223493, 224427, 87432, 35524, 181253, 107803, 214496, 267448, 45145,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 358167, 363750, 472576, 145314,
  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 250624, 454832, 69288, 146451,
  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 420948, 240566, 391111, 297571,
];

describe('ModelBasedTuner mutationShare', () => {
  /** A model that scores by −index; an optimizer that plans the lowest unvisited valid indices and records them. */
  const run = async (seed: number, opts: { mutationShare?: number; epsGreedy?: number }): Promise<{ seen: number[]; planned: Set<number>; plans: number }> => {
    const task = syntheticTask();
    const model = indexScoreModel();
    const planned = new Set<number>();
    let plans = 0;
    const optimizer = lowestIndexOptimizer(task, (plan) => { plans++; plan.forEach((i) => planned.add(i)); });
    const tuner = new ModelBasedTuner(task, () => model, optimizer, { planSize: 16, epsGreedy: 0, seed, ...opts });
    const m = new FakeMeasure();
    await tuner.tune({ nTrial: 64, measureOption: m, batchSize: 8, measureDefaultFirst: false });
    return { seen: m.seen, planned, plans };
  };

  it('replaces a quarter of each model plan by one-knob mutations of the best config measured before the batch', async () => {
    const space = syntheticSpace();
    for (const seed of [1, 2, 3]) {
      const { seen, planned, plans } = await run(seed, { mutationShare: 0.25 });
      expect(plans).toBe(3);
      expect(new Set(seen).size).toBe(64);
      expect(seen.every((i) => space.isIndexValid(i))).toBe(true);
      const offPlan: number[] = [];
      seen.forEach((c, p) => {
        if (p < 16 || planned.has(c)) return;
        offPlan.push(c);
        // The incumbent when this pick's batch was made: the first best of all earlier batches' results.
        const before = seen.slice(0, 8 * Math.floor(p / 8));
        let inc = before[0]!;
        for (const i of before) if (syntheticGflops(space, i) > syntheticGflops(space, inc)) inc = i;
        expect(diffKnobs(space, inc, c)).toHaveLength(1);
      });
      // 0.25 · 16 = 4 per plan, 3 plans; a mutation that is also a plan entry counts as planned.
      expect(offPlan.length).toBeGreaterThanOrEqual(9);
      expect(offPlan.length).toBeLessThanOrEqual(12);
      // The mutations come last in each plan, after its model-planned part.
      for (const start of [16, 32, 48]) expect(seen.slice(start, start + 8).every((c) => planned.has(c))).toBe(true);
    }
  });

  it('takes the mutations before the ε-greedy random tail, each share its own size', async () => {
    const space = syntheticSpace();
    for (const seed of [1, 2]) {
      const { seen, planned } = await run(seed, { mutationShare: 0.25, epsGreedy: 0.25 });
      for (const start of [16, 32, 48]) {
        // Batch 2 of each plan: 8 − 4 − 4 = 0 model picks; 4 mutations of the incumbent, then 4 random configs.
        const batch = seen.slice(start + 8, start + 16);
        const before = seen.slice(0, start + 8);
        let inc = before[0]!;
        for (const i of before) if (syntheticGflops(space, i) > syntheticGflops(space, inc)) inc = i;
        const oneKnob = batch.map((c) => diffKnobs(space, inc, c).length === 1);
        expect(oneKnob.slice(0, 4)).toEqual([true, true, true, true]);
        expect(batch.slice(4).filter((c, k) => !oneKnob[4 + k]! && !planned.has(c)).length).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('is deterministic per seed, differs across seeds, and off (0) proposes exactly what the tuner did without it', async () => {
    const a = await run(4, { mutationShare: 0.25 });
    const b = await run(4, { mutationShare: 0.25 });
    const c = await run(5, { mutationShare: 0.25 });
    expect(a.seen).toEqual(b.seen);
    expect(c.seen).not.toEqual(a.seen);
    // ε 0.25: random picks after every plan, so any change of the RNG order shows.
    const plain = await run(4, { epsGreedy: 0.25 });
    const off = await run(4, { epsGreedy: 0.25, mutationShare: 0 });
    expect(off.seen).toEqual(plain.seen);
    // What the tuner proposed before mutationShare existed (commit cba0022, the same run): the RNG order is kept.
    expect(plain.seen).toEqual(BEFORE_ROUND6_SEED4);
    expect(plain.seen.slice(16).filter((i) => !plain.planned.has(i)).length).toBeGreaterThanOrEqual(9);
    // Without mutation and ε the model plans every trial after the first 16.
    const none = await run(4, {});
    expect(none.seen.slice(16).every((i) => none.planned.has(i))).toBe(true);
  });

  it('refuses a share outside [0, 1], naming the option', () => {
    const task = syntheticTask();
    const model = {} as CostModel;
    const opt = { findMaximums: () => [] } as ModelOptimizer;
    expect(() => new ModelBasedTuner(task, () => model, opt, { mutationShare: 1.5 })).toThrow(/ModelBasedTuner: mutationShare must be in \[0, 1\], got 1.5/);
    expect(() => new ModelBasedTuner(task, () => model, opt, { mutationShare: Number.NaN })).toThrow(/mutationShare/);
  });
});
