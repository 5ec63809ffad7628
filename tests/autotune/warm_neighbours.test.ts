// tests/autotune/warm_neighbours.test.ts — round 11 of issue 13: after a warm start and before its model's first fit
// (planSize results), a model-based tuner proposes the incumbent's one-knob neighbours (oneKnobNeighbours) instead of
// random configs or a plan from a model fitted on one or two points: each proposal differs from the incumbent (the
// default before any result) in exactly one knob, none is measured twice, a resumed job keeps to both; the option off
// keeps round 10's early fit.

import { describe, expect, it } from 'vitest';
import type { MeasureInput, MeasureResult } from '../../autotune/measure/measure_types.js';
import { ModelBasedTuner } from '../../autotune/model_based_tuner.js';
import { Rng } from '../../autotune/rng.js';
import { ConfigSpace } from '../../autotune/space.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import type { Tuner } from '../../autotune/tuner.js';
import { oneKnobNeighbours } from '../../autotune/warm_neighbours.js';
import { XGBTuner } from '../../autotune/xgb_tuner.js';
import { registerAll } from '../../ops/register.js';
import { toLogRecord, type LogRecord } from '../../tuning-logs/record.js';
import { indexScoreModel, lowestIndexOptimizer } from './synthetic.js';

registerAll();
const task = createTask('matmul.wasm', [tensorArg([48, 40]), tensorArg([40, 56])], 'wasm -threads=1');
const space = task.space;
const def = task.defaultConfig!()!;

/** Knob positions where two configs differ. */
const diffKnobs = (s: ConfigSpace, a: number, b: number): number[] => {
  const ka = s.pointToKnobs(a);
  const kb = s.pointToKnobs(b);
  return ka.map((v, i) => (v === kb[i] ? -1 : i)).filter((i) => i >= 0);
};

/** Every valid one-knob change of `base`, by brute force over each knob's values. */
function bruteNeighbours(s: ConfigSpace, base: number): Set<number> {
  const out = new Set<number>();
  const knobs = s.pointToKnobs(base);
  s.dims.forEach((d, k) => {
    for (let v = 0; v < d; v++) {
      if (v === knobs[k]) continue;
      const i = s.knobsToPoint(knobs.map((x, j) => (j === k ? v : x)));
      if (s.isIndexValid(i)) out.add(i);
    }
  });
  return out;
}

/** Fake timing: the default fastest, every other config slower by a pattern of its index. */
function measureDefaultBest(seen: number[], batches: number[][] = []) {
  return {
    measureBatch(inputs: readonly MeasureInput[]): Promise<MeasureResult[]> {
      batches.push(inputs.map((inp) => inp.config.index));
      return Promise.resolve(inputs.map((inp) => {
        seen.push(inp.config.index);
        const cost = inp.config.index === def.index ? 1e-4 : 1e-3 * (1 + (inp.config.index % 7));
        return { costs: [cost], errorNo: 0, allCost: 0.01, timestamp: 0 } as MeasureResult;
      }));
    },
  };
}

/** Fake timing where the incumbent moves: the cost falls with the index's remainder mod 11. */
function measureByIndex(seen: number[], batches: number[][]) {
  return {
    measureBatch(inputs: readonly MeasureInput[]): Promise<MeasureResult[]> {
      batches.push(inputs.map((inp) => inp.config.index));
      return Promise.resolve(inputs.map((inp) => {
        seen.push(inp.config.index);
        return { costs: [1e-3 * (11 - (inp.config.index % 11))], errorNo: 0, allCost: 0.01, timestamp: 0 } as MeasureResult;
      }));
    },
  };
}

describe('oneKnobNeighbours', () => {
  it('lists every valid one-knob change of the base exactly once, none taken', () => {
    for (const base of [def.index, space.sampleValid(new Rng(4))!]) {
      const all = bruteNeighbours(space, base);
      const taken = new Set([...all].filter((_, k) => k % 5 === 0));
      const got = oneKnobNeighbours(space, base, new Rng(1), (i) => taken.has(i));
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(new Set([...all].filter((i) => !taken.has(i))));
      for (const i of got) expect(diffKnobs(space, base, i)).toHaveLength(1);
    }
  });

  it('changes every movable knob once before any knob twice, in an order that depends on the seed only', () => {
    const got = oneKnobNeighbours(space, def.index, new Rng(2), () => false);
    const movable = new Set([...bruteNeighbours(space, def.index)].map((i) => diffKnobs(space, def.index, i)[0]!));
    const firstKnobs = got.slice(0, movable.size).map((i) => diffKnobs(space, def.index, i)[0]!);
    expect(new Set(firstKnobs)).toEqual(movable);
    expect(oneKnobNeighbours(space, def.index, new Rng(2), () => false)).toEqual(got);
    expect(oneKnobNeighbours(space, def.index, new Rng(3), () => false)).not.toEqual(got);
  });

  it('gives [] when every one-knob change is taken', () => {
    const s = new ConfigSpace();
    s.defineKnob('a', [1, 2]);
    s.defineKnob('b', [1, 2, 3]);
    s.defineKnob('c', [7]);
    const base = s.knobsToPoint([0, 0, 0]);
    expect(oneKnobNeighbours(s, base, new Rng(1), () => true)).toEqual([]);
    expect(new Set(oneKnobNeighbours(s, base, new Rng(1), () => false))).toEqual(new Set([s.knobsToPoint([1, 0, 0]), s.knobsToPoint([0, 1, 0]), s.knobsToPoint([0, 2, 0])]));
  });
});

describe('a warm-started model-based tuner before its first fit', () => {
  // localShare 0: round 11's rule alone (round 13's local plan, on by default with a warm start, is local_plan.test.ts's).
  const makeTuner = (opts: { warmNeighbours?: boolean } = {}, onPlan?: (p: readonly number[]) => void, fits?: number[][]) => {
    const model = indexScoreModel();
    const fit = model.fit.bind(model);
    model.fit = async (xs, ys, planSize) => { fits?.push([...xs]); await fit(xs, ys, planSize); };
    return new ModelBasedTuner(task, () => model, lowestIndexOptimizer(task, onPlan), { planSize: 16, epsGreedy: 0, seed: 5, localShare: 0, ...opts });
  };

  it('measures the default, then one-knob changes of it (the incumbent), none twice, fits at planSize results, then plans', async () => {
    const seen: number[] = [];
    const fits: number[][] = [];
    const plans: number[][] = [];
    await makeTuner({}, (p) => plans.push([...p]), fits).tune({ nTrial: 24, measureOption: measureDefaultBest(seen), batchSize: 4, warmStart: {} });
    expect(seen[0]).toBe(def.index);
    for (const i of seen.slice(1, 16)) expect(diffKnobs(space, def.index, i)).toHaveLength(1);
    expect(new Set(seen).size).toBe(24);
    // The first fit on the first planSize results (none before: a model of 1–15 points plans blind), then the model's plan.
    expect(fits[0]).toEqual(seen.slice(0, 16));
    expect(seen.slice(16)).toEqual(plans[0]!.slice(0, 8));
  });

  it('follows the incumbent: each batch changes one knob of the best measured before it', async () => {
    const seen: number[] = [];
    const batches: number[][] = [];
    const tuner = makeTuner();
    await tuner.tune({ nTrial: 16, measureOption: measureByIndex(seen, batches), batchSize: 4, warmStart: {} });
    const cost = (i: number): number => 11 - (i % 11);
    let best = batches[0]![0]!;
    expect(best).toBe(def.index);
    // Batch 1 is the default and its neighbours (nothing measured yet); later ones are neighbours of the incumbent.
    for (const i of batches[0]!.slice(1)) expect(diffKnobs(space, def.index, i)).toHaveLength(1);
    for (let b = 1; b < batches.length; b++) {
      for (const i of batches[b - 1]!) if (cost(i) < cost(best)) best = i;
      for (const i of batches[b]!) expect(diffKnobs(space, best, i)).toHaveLength(1);
    }
    expect(new Set(seen).size).toBe(16);
  });

  it('a resumed job goes on with one-knob changes of the restored incumbent and measures nothing twice', async () => {
    const seen1: number[] = [];
    const log: LogRecord[] = [];
    const keep = (_t: Tuner, inputs: readonly MeasureInput[], results: readonly MeasureResult[]): void => {
      inputs.forEach((inp, k) => log.push(toLogRecord(inp, results[k]!)));
    };
    await makeTuner().tune({ nTrial: 6, measureOption: measureDefaultBest(seen1), batchSize: 3, warmStart: {}, callbacks: [keep] });
    const resumed = makeTuner();
    expect(await resumed.restore(log)).toBe(6);
    const seen2: number[] = [];
    await resumed.tune({ nTrial: 14, measureOption: measureDefaultBest(seen2), batchSize: 4, warmStart: {} });
    expect(seen2).toHaveLength(8);
    expect(new Set([...seen1, ...seen2]).size).toBe(14);
    for (const i of [...seen1.slice(1), ...seen2]) expect(diffKnobs(space, def.index, i)).toHaveLength(1);
  });

  it('XGBTuner does the same with its real model and SA (knob features)', async () => {
    const seen: number[] = [];
    await new XGBTuner(task, { seed: 2, planSize: 8, featureType: 'knob', maxRounds: 20 }).tune({ nTrial: 12, measureOption: measureDefaultBest(seen), batchSize: 4, warmStart: {} });
    expect(seen[0]).toBe(def.index);
    for (const i of seen.slice(1, 8)) expect(diffKnobs(space, def.index, i)).toHaveLength(1);
    expect(new Set(seen).size).toBe(12);
  });

  it('with warmNeighbours false keeps round 10: random picks beside the default, the model fitted on that first batch', async () => {
    const seen: number[] = [];
    const fits: number[][] = [];
    const plans: number[][] = [];
    await makeTuner({ warmNeighbours: false }, (p) => plans.push([...p]), fits).tune({ nTrial: 16, measureOption: measureDefaultBest(seen), batchSize: 4, warmStart: {} });
    // The first batch: the default and 3 random configs (mostly ≥ 2 knobs away); fitted on at once (4 points), then SA's plan.
    expect(seen[0]).toBe(def.index);
    expect(seen.slice(1, 4).filter((i) => diffKnobs(space, def.index, i).length > 1).length).toBeGreaterThan(0);
    expect(fits[0]).toEqual(seen.slice(0, 4));
    expect(seen.slice(4, 8)).toEqual(plans[0]!.slice(0, 4));
  });
});
