// tests/autotune/local_plan.test.ts — round 13 of issue 13: a share of each model-guided plan from the incumbent's
// neighbourhood (configs within two knob changes of the best measured), ranked by the model, picked for diversity;
// localShare 0 plans exactly as before.

import { describe, expect, it } from 'vitest';
import type { MeasureInput, MeasureResult } from '../../autotune/measure/measure_types.js';
import { knobNeighbourhood, localPlan } from '../../autotune/local_plan.js';
import { ModelBasedTuner } from '../../autotune/model_based_tuner.js';
import { Rng } from '../../autotune/rng.js';
import { ConfigSpace } from '../../autotune/space.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { XGBTuner } from '../../autotune/xgb_tuner.js';
import { registerAll } from '../../ops/register.js';
import { indexScoreModel, lowestIndexOptimizer } from './synthetic.js';

registerAll();
const task = createTask('matmul.wasm', [tensorArg([48, 40]), tensorArg([40, 56])], 'wasm -threads=1');
const space = task.space;
const def = task.defaultConfig!()!;

/** How many knobs two configs differ in. */
const dist = (s: ConfigSpace, a: number, b: number): number => {
  const kb = s.pointToKnobs(b);
  return s.pointToKnobs(a).filter((v, i) => v !== kb[i]).length;
};

/** Fake timing: the default fastest, every other config slower by a pattern of its index (nothing beats the default). */
function measureDefaultBest(seen: number[]) {
  return {
    measureBatch(inputs: readonly MeasureInput[]): Promise<MeasureResult[]> {
      return Promise.resolve(inputs.map((inp) => {
        seen.push(inp.config.index);
        const cost = inp.config.index === def.index ? 1e-4 : 1e-3 * (1 + (inp.config.index % 7));
        return { costs: [cost], errorNo: 0, allCost: 0.01, timestamp: 0 } as MeasureResult;
      }));
    },
  };
}

describe('knobNeighbourhood', () => {
  it('is every valid config 1 or 2 knobs from the base, none taken, by brute force over the whole space', () => {
    for (const base of [def.index, space.sampleValid(new Rng(7))!]) {
      const taken = (i: number): boolean => i % 3 === 0;
      const want: number[] = [];
      for (let i = 0; i < space.length; i++) {
        const d = dist(space, base, i);
        if (d >= 1 && d <= 2 && !taken(i) && space.isIndexValid(i)) want.push(i);
      }
      expect(want.length).toBeGreaterThan(20);
      expect(knobNeighbourhood(space, base, 2, taken)).toEqual(want);
    }
  });

  it('radius 1 is the one-knob changes only; a bad radius is a RangeError', () => {
    const got = knobNeighbourhood(space, def.index, 1, () => false);
    expect(got.length).toBeGreaterThan(0);
    for (const i of got) expect(dist(space, def.index, i)).toBe(1);
    expect(() => knobNeighbourhood(space, def.index, 0, () => false)).toThrow(/radius must be a positive integer/);
  });
});

describe('localPlan', () => {
  it("keeps n of the model's 2n best neighbours, covering the most knob values (not simply the n best)", () => {
    const s = new ConfigSpace();
    s.defineKnob('a', [0, 1, 2, 3]);
    s.defineKnob('b', [0, 1, 2, 3]);
    const base = s.knobsToPoint([0, 0]);
    const at = (a: number, b: number): number => s.knobsToPoint([a, b]);
    const score = new Map([[at(3, 3), 10], [at(3, 2), 9], [at(2, 3), 8], [at(2, 2), 7]]);
    const model = { predict: (idx: readonly number[]) => Float32Array.from(idx, (i) => score.get(i) ?? 0) };
    // The 2n = 4 best: (3,3) (3,2) (2,3) (2,2). The first pick is the best; (2,2) then adds two new knob values,
    // (3,2) and (2,3) one each: the pick is [(3,3), (2,2)], where the two best would be [(3,3), (3,2)].
    expect(localPlan(model, s, base, 2, () => false)).toEqual([at(3, 3), at(2, 2)]);
    // Taken configs are never planned; n ≤ 0 or nothing left: [].
    expect(localPlan(model, s, base, 2, (i) => i === at(3, 3))).toEqual([at(3, 2), at(2, 3)]);
    expect(localPlan(model, s, base, 0, () => false)).toEqual([]);
    expect(localPlan(model, s, base, 3, () => true)).toEqual([]);
  });

  it('ranks by the model: with scores favouring far configs it still returns only neighbours, the best first among them', () => {
    const model = { predict: (idx: readonly number[]) => Float32Array.from(idx, (i) => i) };
    const got = localPlan(model, space, def.index, 4, () => false);
    expect(got).toHaveLength(4);
    const hood = knobNeighbourhood(space, def.index, 2, () => false);
    const best8 = [...hood].sort((a, b) => b - a).slice(0, 8);
    for (const i of got) expect(best8).toContain(i);
    expect(got[0]).toBe(best8[0]);
  });
});

describe('a model-based tuner with localShare', () => {
  const makeTuner = (localShare: number, plans: number[][]) =>
    new ModelBasedTuner(task, () => indexScoreModel(), lowestIndexOptimizer(task, (p) => plans.push([...p])), { planSize: 16, epsGreedy: 0, seed: 5, localShare });

  it('puts round(share · planSize) neighbours of the incumbent first in each plan, SA the rest, nothing measured twice', async () => {
    const seen: number[] = [];
    const plans: number[][] = [];
    await makeTuner(0.5, plans).tune({ nTrial: 48, measureOption: measureDefaultBest(seen), batchSize: 8, warmStart: {} });
    expect(new Set(seen).size).toBe(48);
    // Trials 16–23 and 32–39: the local half of the two plans, all within two knobs of the incumbent (the default);
    // 24–31 and 40–47: the optimizer's 8 (asked for planSize − 8).
    for (const i of [...seen.slice(16, 24), ...seen.slice(32, 40)]) {
      expect(dist(space, def.index, i)).toBeGreaterThanOrEqual(1);
      expect(dist(space, def.index, i)).toBeLessThanOrEqual(2);
    }
    expect(plans.map((p) => p.length)).toEqual([8, 8]);
    expect(seen.slice(24, 32)).toEqual(plans[0]);
    // indexScoreModel prefers low indices, so the lowest-index neighbours come first (before diversity).
    expect(seen.slice(16, 24).some((i) => seen.slice(32, 40).includes(i))).toBe(false);
  });

  it('localShare 0 plans as before: the optimizer gets the whole plan', async () => {
    const seen: number[] = [];
    const plans: number[][] = [];
    await makeTuner(0, plans).tune({ nTrial: 32, measureOption: measureDefaultBest(seen), batchSize: 8, warmStart: {} });
    expect(plans[0]).toHaveLength(16);
    expect(seen.slice(16, 32)).toEqual(plans[0]);
  });

  it('defaults to 0.5 with a warm start (one-knob neighbours) and to 0 cold', async () => {
    const warmPlans: number[][] = [];
    const warm = new ModelBasedTuner(task, () => indexScoreModel(), lowestIndexOptimizer(task, (p) => warmPlans.push([...p])), { planSize: 16, epsGreedy: 0, seed: 5 });
    await warm.tune({ nTrial: 32, measureOption: measureDefaultBest([]), batchSize: 8, warmStart: {} });
    expect(warmPlans[0]).toHaveLength(8);
    const coldPlans: number[][] = [];
    const cold = new ModelBasedTuner(task, () => indexScoreModel(), lowestIndexOptimizer(task, (p) => coldPlans.push([...p])), { planSize: 16, epsGreedy: 0, seed: 5 });
    await cold.tune({ nTrial: 32, measureOption: measureDefaultBest([]), batchSize: 8 });
    expect(coldPlans[0]).toHaveLength(16);
  });

  it('rejects a share outside [0, 1]', () => {
    expect(() => makeTuner(1.5, [])).toThrow(/localShare must be in \[0, 1\]/);
    expect(() => makeTuner(-0.1, [])).toThrow(/localShare must be in \[0, 1\]/);
  });

  it('XGBTuner with its real model: the local half of its first plan stays within two knobs of the incumbent', async () => {
    const seen: number[] = [];
    await new XGBTuner(task, { seed: 3, planSize: 8, featureType: 'knob', maxRounds: 20, localShare: 0.5, epsGreedy: 0 })
      .tune({ nTrial: 16, measureOption: measureDefaultBest(seen), batchSize: 4, warmStart: {} });
    expect(new Set(seen).size).toBe(16);
    for (const i of seen.slice(8, 12)) expect(dist(space, def.index, i)).toBeLessThanOrEqual(2);
  });
});

describe('localPlan with oneKnobFirst (round 17)', () => {
  // A model that prefers the two-knob ring: one-knob neighbours score 0, two-knob ones their index (all > 0 here).
  const ringModel = (base: number) => ({
    predict: (idx: readonly number[]) => Float32Array.from(idx, (i) => (dist(space, base, i) === 1 ? 0 : 1 + i)),
  });

  it("takes every untaken one-knob neighbour first, whatever the model says, then the model's two-knob picks", () => {
    const one = knobNeighbourhood(space, def.index, 1, () => false);
    expect(one.length).toBeGreaterThan(3);
    const n = one.length + 3;
    const got = localPlan(ringModel(def.index), space, def.index, n, () => false, true);
    expect(got).toHaveLength(n);
    expect(new Set(got.slice(0, one.length))).toEqual(new Set(one));
    for (const i of got.slice(one.length)) expect(dist(space, def.index, i)).toBe(2);
    expect(new Set(got).size).toBe(n);
    // Without it the same model plans only two-knob configs: no one-knob neighbour among the n.
    for (const i of localPlan(ringModel(def.index), space, def.index, n, () => false)) expect(dist(space, def.index, i)).toBe(2);
  });

  it('with fewer slots than one-knob neighbours: the n best predicted of them, taken ones skipped', () => {
    const one = knobNeighbourhood(space, def.index, 1, () => false);
    const taken = (i: number): boolean => i === one[0];
    const byIndex = { predict: (idx: readonly number[]) => Float32Array.from(idx, (i) => i) };
    const want = one.filter((i) => !taken(i)).sort((a, b) => b - a).slice(0, 2);
    expect(localPlan(byIndex, space, def.index, 2, taken, true)).toEqual(want);
    expect(localPlan(byIndex, space, def.index, 0, taken, true)).toEqual([]);
  });

  it('a tuner with localOneKnobFirst measures every one-knob change of its incumbent within the plans that fit them', async () => {
    const one = knobNeighbourhood(space, def.index, 1, () => false);
    const run = async (localOneKnobFirst: boolean): Promise<number[]> => {
      const seen: number[] = [];
      // indexScoreModel ranks low indices first; the warm start measures the default (the fastest) and, until the
      // first fit at 16 results, some of its one-knob neighbours; then 8 local + 8 optimizer picks per plan.
      const tuner = new ModelBasedTuner(task, () => indexScoreModel(), lowestIndexOptimizer(task), { planSize: 16, epsGreedy: 0, seed: 5, localShare: 0.5, localOneKnobFirst });
      const plans = Math.ceil(one.length / 8) + 1;
      await tuner.tune({ nTrial: 16 * (plans + 1), measureOption: measureDefaultBest(seen), batchSize: 8, warmStart: {} });
      return seen;
    };
    const withIt = await run(true);
    for (const i of one) expect(withIt).toContain(i);
    const without = await run(false);
    expect(one.filter((i) => !without.includes(i)).length).toBeGreaterThan(0);
  });
});
