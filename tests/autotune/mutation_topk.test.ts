// tests/autotune/mutation_topk.test.ts — round 7 of issue 13: ModelBasedTunerOptions.mutationTopK, incumbent
// mutation that starts from one of the k best measured configs (not only the best); picks are one knob from one
// of the k best measured before their batch, they do use more than the best, the run is reproducible per seed,
// k = 1 is exactly round 6's tuner, and a bad k is refused naming the option.

import { describe, expect, it } from 'vitest';
import type { CostModel } from '../../autotune/cost_model.js';
import { ModelBasedTuner, type ModelOptimizer } from '../../autotune/model_based_tuner.js';
import type { ConfigSpace } from '../../autotune/space.js';
import { FakeMeasure, indexScoreModel, lowestIndexOptimizer, syntheticGflops, syntheticSpace, syntheticTask } from './synthetic.js';

const diffCount = (space: ConfigSpace, a: number, b: number): number => {
  const ka = space.pointToKnobs(a);
  const kb = space.pointToKnobs(b);
  return ka.filter((v, i) => v !== kb[i]).length;
};

/** The k best of `configs` by synthetic throughput, best first, the earlier first among equals (plain JS reference). */
const topK = (space: ConfigSpace, configs: readonly number[], k: number): number[] =>
  configs.map((c, order) => ({ c, order, g: syntheticGflops(space, c) }))
    .filter((x) => x.g > 0)
    .sort((a, b) => b.g - a.g || a.order - b.order)
    .slice(0, k)
    .map((x) => x.c);

const run = async (seed: number, opts: { mutationShare?: number; mutationTopK?: number }): Promise<{ seen: number[]; planned: Set<number> }> => {
  const task = syntheticTask();
  const planned = new Set<number>();
  const optimizer = lowestIndexOptimizer(task, (plan) => plan.forEach((i) => planned.add(i)));
  const tuner = new ModelBasedTuner(task, () => indexScoreModel(), optimizer, { planSize: 16, epsGreedy: 0, seed, ...opts });
  const m = new FakeMeasure();
  await tuner.tune({ nTrial: 96, measureOption: m, batchSize: 8, measureDefaultFirst: false });
  return { seen: m.seen, planned };
};

describe('ModelBasedTuner mutationTopK', () => {
  it('mutates one of the k best configs measured before the batch, and not only the best', async () => {
    const space = syntheticSpace();
    let fromOthers = 0;
    for (const seed of [1, 2, 3]) {
      const { seen, planned } = await run(seed, { mutationShare: 0.5, mutationTopK: 4 });
      expect(new Set(seen).size).toBe(96);
      expect(seen.every((i) => space.isIndexValid(i))).toBe(true);
      let offPlan = 0;
      seen.forEach((c, p) => {
        if (p < 16 || planned.has(c)) return;
        offPlan++;
        const bases = topK(space, seen.slice(0, 8 * Math.floor(p / 8)), 4);
        expect(bases).toHaveLength(4);
        expect(bases.some((b) => diffCount(space, b, c) === 1)).toBe(true);
        if (diffCount(space, bases[0]!, c) !== 1) fromOthers++;
      });
      // 0.5 · 16 = 8 mutations per plan, 5 plans (some may coincide with plan entries).
      expect(offPlan).toBeGreaterThanOrEqual(30);
    }
    // Picks one knob from a runner-up but not from the incumbent: the top k is used.
    expect(fromOthers).toBeGreaterThanOrEqual(10);
  });

  it('is deterministic per seed, and k = 1 proposes exactly what round 6 (incumbent only) did', async () => {
    const a = await run(7, { mutationShare: 0.25, mutationTopK: 3 });
    const b = await run(7, { mutationShare: 0.25, mutationTopK: 3 });
    const c = await run(8, { mutationShare: 0.25, mutationTopK: 3 });
    expect(a.seen).toEqual(b.seen);
    expect(c.seen).not.toEqual(a.seen);
    const one = await run(7, { mutationShare: 0.25, mutationTopK: 1 });
    const round6 = await run(7, { mutationShare: 0.25 });
    expect(one.seen).toEqual(round6.seen);
    // Every off-plan pick of k = 1 is one knob from the incumbent of its batch.
    const space = syntheticSpace();
    one.seen.forEach((x, p) => {
      if (p < 16 || one.planned.has(x)) return;
      expect(diffCount(space, topK(space, one.seen.slice(0, 8 * Math.floor(p / 8)), 1)[0]!, x)).toBe(1);
    });
    expect(a.seen).not.toEqual(one.seen);
  });

  it('refuses a k that is not a positive integer, naming the option', () => {
    const task = syntheticTask();
    const model = {} as CostModel;
    const opt = { findMaximums: () => [] } as ModelOptimizer;
    for (const k of [0, -1, 1.5, Number.NaN]) {
      expect(() => new ModelBasedTuner(task, () => model, opt, { mutationShare: 0.25, mutationTopK: k }))
        .toThrow(/ModelBasedTuner: mutationTopK must be a positive integer/);
    }
  });
});
