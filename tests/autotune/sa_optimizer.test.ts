// tests/autotune/sa_optimizer.test.ts — simulated annealing finds the optimum of a synthetic function with
// far fewer evaluations than random search, respects exclusions, and is reproducible.

import { describe, expect, it } from 'vitest';
import { LazyPermutation } from '../../autotune/random_tuner.js';
import { Rng } from '../../autotune/rng.js';
import { SimulatedAnnealingOptimizer } from '../../autotune/sa_optimizer.js';
import type { Scorer } from '../../autotune/cost_model.js';
import { syntheticGflops, syntheticOptimum, syntheticSpace } from './synthetic.js';

const space = syntheticSpace();
const optimum = syntheticOptimum(space);

/** The true function as the model, counting evaluations until the optimum is first scored. */
class TrueModel implements Scorer {
  evaluations = 0;
  foundAt = -1;
  predict(indices: readonly number[]): Float32Array {
    return Float32Array.from(indices, (i) => {
      this.evaluations++;
      if (i === optimum && this.foundAt < 0) this.foundAt = this.evaluations;
      return syntheticGflops(space, i);
    });
  }
}

describe('SimulatedAnnealingOptimizer', () => {
  it('finds the optimum in fewer evaluations than random search (3 seeds)', () => {
    expect(space.length).toBeGreaterThan(100_000);
    for (const seed of [1, 2, 3]) {
      const model = new TrueModel();
      const sa = new SimulatedAnnealingOptimizer(space, { seed });
      const top = sa.findMaximums(model, 8, new Set());
      expect(top[0]).toBe(optimum);
      // Random search without replacement needs as many evaluations as the optimum's position.
      const perm = new LazyPermutation(space.length, new Rng(seed));
      let randomEvals = 0;
      for (let i = perm.next(); i !== undefined; i = perm.next()) {
        randomEvals++;
        if (i === optimum) break;
      }
      expect(model.foundAt).toBeGreaterThan(0);
      expect(model.foundAt).toBeLessThan(randomEvals);
      expect(model.evaluations).toBeLessThan(space.length / 4);
    }
  });

  it('never returns excluded configs and returns distinct configs, best first', () => {
    const model = new TrueModel();
    const sa = new SimulatedAnnealingOptimizer(space, { seed: 7, nIter: 100 });
    const exclude = new Set([optimum]);
    const top = sa.findMaximums(model, 32, exclude);
    expect(top.length).toBe(32);
    expect(new Set(top).size).toBe(32);
    expect(top).not.toContain(optimum);
    const scores = top.map((i) => syntheticGflops(space, i));
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
  });

  it('is reproducible with a seed and keeps walkers across rounds', () => {
    const a = new SimulatedAnnealingOptimizer(space, { seed: 11, nIter: 60 });
    const b = new SimulatedAnnealingOptimizer(space, { seed: 11, nIter: 60 });
    expect(a.findMaximums(new TrueModel(), 16, new Set())).toEqual(b.findMaximums(new TrueModel(), 16, new Set()));
    const second = a.findMaximums(new TrueModel(), 16, new Set());
    expect(second.length).toBe(16);
  });
});
