// tests/autotune/sa_distinct_plan.test.ts — round 5 of issue 13: with maxPerScore the SA plan holds at most
// that many configs per predicted score (a tree model's plateaus no longer fill a plan with one schedule's
// irrelevant-knob variants; off by default, as AutoTVM), and the model-based tuner plans when the next batch
// is asked for, so a job's last refit runs no optimizer.

import { describe, expect, it } from 'vitest';
import type { Scorer } from '../../autotune/cost_model.js';
import { ModelBasedTuner } from '../../autotune/model_based_tuner.js';
import { SimulatedAnnealingOptimizer, TopK } from '../../autotune/sa_optimizer.js';
import { FakeMeasure, indexScoreModel, lowestIndexOptimizer, syntheticGflops, syntheticSpace, syntheticTask } from './synthetic.js';

const space = syntheticSpace();

/**
 * A plateau model, as a depth-limited tree ensemble sees the space: the score depends on tile_y and tile_k
 * only (coarsely), so every config with the same two splits ties, whatever its tile_x, order and unroll.
 */
class PlateauModel implements Scorer {
  predict(indices: readonly number[]): Float32Array {
    return Float32Array.from(indices, (i) => {
      const c = space.get(i);
      const y = c.getSplit('tile_y').size;
      const k = c.getSplit('tile_k').size;
      return -Math.abs(Math.log2(y[2]!) - 2) - 0.37 * Math.abs(Math.log2(y[1]!) - 3) - 0.11 * Math.abs(Math.log2(k[1]!) - 4);
    });
  }
}

/** Distinct values of `xs`. */
const distinct = (xs: ArrayLike<number>): number => new Set(Array.from(xs)).size;

describe('SimulatedAnnealingOptimizer maxPerScore', () => {
  it('returns one config per predicted score on a plateau model (3 seeds); AutoTVM\'s plan repeats scores', () => {
    const model = new PlateauModel();
    for (const seed of [1, 2, 3]) {
      const plan = new SimulatedAnnealingOptimizer(space, { seed, maxPerScore: 1 }).findMaximums(model, 16, new Set());
      const scores = model.predict(plan);
      expect(plan.length).toBe(16);
      expect(distinct(scores)).toBe(16);
      for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
      // The same walk without the rule (the default, AutoTVM's): the top 16 are a few plateaus' variants.
      const tvm = new SimulatedAnnealingOptimizer(space, { seed }).findMaximums(model, 16, new Set());
      expect(tvm.length).toBe(16);
      expect(distinct(model.predict(tvm))).toBeLessThan(8);
      // At most 4 per score: at least 4 distinct scores, none more than 4 times.
      const four = new SimulatedAnnealingOptimizer(space, { seed, maxPerScore: 4 }).findMaximums(model, 16, new Set());
      const counts = new Map<number, number>();
      for (const v of model.predict(four)) counts.set(v, (counts.get(v) ?? 0) + 1);
      expect(four.length).toBe(16);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(4);
      expect(counts.size).toBeGreaterThanOrEqual(4);
    }
  });

  it('still finds the true optimum first when every config has its own score', () => {
    const truth: Scorer = { predict: (idx) => Float32Array.from(idx, (i) => syntheticGflops(space, i)) };
    const a = new SimulatedAnnealingOptimizer(space, { seed: 4, maxPerScore: 1 }).findMaximums(truth, 8, new Set());
    const b = new SimulatedAnnealingOptimizer(space, { seed: 4 }).findMaximums(truth, 8, new Set());
    expect(a[0]).toBe(b[0]);
  });

  it('returns fewer configs than asked when the model has fewer distinct scores, none excluded', () => {
    // Two scores over the whole space: even tile_k inner split index or odd.
    const twoLevel: Scorer = { predict: (idx) => Float32Array.from(idx, (i) => space.pointToKnobs(i)[2]! % 2) };
    const sa = new SimulatedAnnealingOptimizer(space, { seed: 9, nIter: 40, maxPerScore: 1 });
    const exclude = new Set([0, 1, 2, 3]);
    const plan = sa.findMaximums(twoLevel, 16, exclude);
    expect(plan.length).toBe(2);
    expect(distinct(twoLevel.predict(plan))).toBe(2);
    for (const p of plan) expect(exclude.has(p)).toBe(false);
  });
});

describe('TopK', () => {
  it('keeps the best distinct indices; with maxPerScore 1 one per score, and a full heap refuses what is not above its minimum', () => {
    const plain = new TopK(3);
    [[5, 1], [5, 2], [5, 3], [4, 4]].forEach(([s, i]) => plain.offer(s!, i!));
    expect(plain.sorted()).toEqual([1, 2, 3]);
    const top = new TopK(3, 1);
    expect(top.offer(5, 1)).toBe(true);
    expect(top.offer(5, 2)).toBe(false);
    expect(top.offer(4, 3)).toBe(true);
    expect(top.offer(3, 4)).toBe(true);
    expect(top.offer(3, 5)).toBe(false);
    // 6 evicts the 3 (index 4); a later 3 is again refused as below the minimum, a 4.5 enters.
    expect(top.offer(6, 6)).toBe(true);
    expect(top.sorted()).toEqual([6, 1, 3]);
    expect(top.offer(4.5, 7)).toBe(true);
    expect(top.sorted()).toEqual([6, 1, 7]);
    // 4 was evicted by 4.5: a new config scored 4 is below the minimum; one scored 4.75 enters.
    expect(top.offer(4.75, 8)).toBe(true);
    expect(top.sorted()).toEqual([6, 1, 8]);
    // Two per score: a third 5 is refused.
    const two = new TopK(3, 2);
    expect([two.offer(5, 1), two.offer(5, 2), two.offer(5, 3), two.offer(4, 4)]).toEqual([true, true, false, true]);
    expect(two.offer(6, 5)).toBe(true);
    expect(two.sorted()).toEqual([5, 1, 2]);
    expect(() => new SimulatedAnnealingOptimizer(space, { maxPerScore: 0 })).toThrow(/maxPerScore must be ≥ 1/);
  });
});

describe('ModelBasedTuner plans lazily', () => {
  /** A model that fits instantly and scores by −index; an optimizer that counts its runs. */
  const make = (planSize: number): { tuner: ModelBasedTuner; runs: () => number } => {
    const task = syntheticTask();
    const model = indexScoreModel();
    let runs = 0;
    const optimizer = lowestIndexOptimizer(task, () => { runs++; });
    return { tuner: new ModelBasedTuner(task, () => model, optimizer, { planSize, epsGreedy: 0, seed: 3 }), runs: () => runs };
  };

  it('runs the optimizer once per plan that is measured: none after the last refit', async () => {
    const { tuner, runs } = make(16);
    const m = new FakeMeasure();
    await tuner.tune({ nTrial: 48, measureOption: m, batchSize: 8, measureDefaultFirst: false });
    // Refits at 16, 32 and 48 results; plans used after 16 and 32 only.
    expect(runs()).toBe(2);
    // The planned configs (lowest indices) are what trials 17–48 measured.
    expect(m.seen.slice(16).every((i) => i < 64)).toBe(true);
    // A second tune call continues from the pending plan.
    await tuner.tune({ nTrial: 56, measureOption: m, batchSize: 8, measureDefaultFirst: false });
    expect(runs()).toBe(3);
  });
});
