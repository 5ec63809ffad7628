// tests/autotune/tuner_filter.test.ts — a space with a multiFilter (AutoTVM's multi_filter): the valid count and
// per-index verdicts agree with a brute-force plain-JS rule, chosen and fallback configs raise the rule's reason,
// and no tuner (random, grid, GA, XGB + SA) ever proposes a config the filter rejects, with fixed seeds.

import { describe, expect, it } from 'vitest';
import type { Scorer } from '../../autotune/cost_model.js';
import { GATuner } from '../../autotune/ga_tuner.js';
import { GridSearchTuner } from '../../autotune/grid_search_tuner.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { Rng } from '../../autotune/rng.js';
import { SimulatedAnnealingOptimizer } from '../../autotune/sa_optimizer.js';
import { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Task } from '../../autotune/task.js';
import { Tuner } from '../../autotune/tuner.js';
import { XGBTuner } from '../../autotune/xgb_tuner.js';
import { FakeMeasure, syntheticGflops, syntheticOptimum, syntheticSpace, syntheticTask } from './synthetic.js';

/** The rule, written independently of the filter: inner y × inner x tile ≤ 32 (the synthetic optimum has 64). */
function ruleOk(space: ConfigSpace, index: number): boolean {
  const knobs = space.pointToKnobs(index);
  const y = space.knobSpace('tile_y').entity(knobs[0]!) as unknown as { size: number[] };
  const x = space.knobSpace('tile_x').entity(knobs[1]!) as unknown as { size: number[] };
  return y.size[2]! * x.size[2]! <= 32;
}

const REASON = /register tile \d+×\d+ exceeds 32/;

function addFilter(cfg: ConfigSpace): void {
  cfg.multiFilter((c) => {
    const yi = c.getSplit('tile_y').size[2]!;
    const xi = c.getSplit('tile_x').size[2]!;
    return yi * xi > 32 ? `register tile ${yi}×${xi} exceeds 32` : undefined;
  });
}

function filteredSpace(): ConfigSpace {
  const s = syntheticSpace();
  addFilter(s);
  return s;
}

function smallSpace(): ConfigSpace {
  const s = new ConfigSpace();
  s.defineSplit('tile_y', 16, { numOutputs: 3 });
  s.defineSplit('tile_x', 16, { numOutputs: 3 });
  s.defineKnob('unroll', [0, 8]);
  addFilter(s);
  return s;
}

const space = filteredSpace();
const nValid = (s: ConfigSpace): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (ruleOk(s, i)) n++;
  return n;
};
const VALID = nValid(space);

describe('ConfigSpace.multiFilter', () => {
  it('counts and judges every index as the plain-JS rule does; many configs are invalid, the optimum too', () => {
    expect(space.length).toBeGreaterThan(100_000);
    expect(space.validLength).toBe(VALID);
    expect(VALID / space.length).toBeLessThan(0.8);
    expect(VALID / space.length).toBeGreaterThan(0.2);
    const rng = new Rng(5);
    for (let k = 0; k < 2000; k++) {
      const i = rng.int(space.length);
      expect(space.isIndexValid(i), `config ${i}`).toBe(ruleOk(space, i));
    }
    expect(space.isIndexValid(syntheticOptimum(space))).toBe(false);
    expect(space.sizeText()).toBe(`${VALID} valid of ${space.length}`);
    expect(space.describe()).toContain(`len=${VALID} valid of ${space.length}`);
    expect(syntheticSpace().sizeText()).toBe(String(space.length));
  });

  it('a chosen config, and a fallback config, raise the filter\'s reason; a valid one stays valid', () => {
    const bad = syntheticOptimum(space);
    const e = space.entityAt(bad);
    e.defineSplit('tile_y', 512, { numOutputs: 3 });
    e.defineSplit('tile_x', 256, { numOutputs: 3 });
    addFilter(e);
    expect(e.valid()).toBe(false);
    expect(e.errors.join()).toMatch(REASON);
    const good = space.entityAt(space.sampleValid(new Rng(1))!);
    addFilter(good);
    expect(good.valid()).toBe(true);
    const f = new FallbackConfigEntity();
    f.defineSplit('tile_y', 512, { numOutputs: 3 });
    f.defineSplit('tile_x', 256, { numOutputs: 3 });
    f.fallbackSplit('tile_y', [-1, 8, 8]);
    f.fallbackSplit('tile_x', [-1, 8, 8]);
    addFilter(f);
    expect(f.errors.join()).toMatch(REASON);
  });

  it('sampleValid and validNeighbour return only valid configs; a space too large to count says "≤"', () => {
    const rng = new Rng(9);
    for (let k = 0; k < 500; k++) {
      const p = space.sampleValid(rng)!;
      expect(ruleOk(space, p)).toBe(true);
      expect(ruleOk(space, space.validNeighbour(p, rng))).toBe(true);
    }
    const big = new ConfigSpace();
    const values = Array.from({ length: 200 }, (_, i) => i);
    big.defineKnob('a', values);
    big.defineKnob('b', values);
    big.defineKnob('c', values);
    big.defineKnob('k', [0, 1, 2, 3]);
    big.multiFilter((c) => (c.getKnob('k').val === 3 ? 'k 3 is refused' : undefined));
    expect(big.length).toBeGreaterThan(1 << 21);
    expect(big.validLength).toBeUndefined();
    expect(big.sizeText()).toBe(`≤ ${big.length} valid of ${big.length}`);
  });
});

const makers: Record<string, (t: Task, seed: number) => Tuner> = {
  random: (t, seed) => new RandomTuner(t, { seed }),
  grid: (t) => new GridSearchTuner(t),
  ga: (t, seed) => new GATuner(t, { seed, popSize: 32 }),
  xgb: (t, seed) => new XGBTuner(t, { seed, featureType: 'knob', planSize: 32 }),
};

describe.each(Object.keys(makers))('%s tuner under a multiFilter', (kind) => {
  it('never proposes a rejected config (fixed seeds)', async () => {
    for (const seed of [1, 2]) {
      const task = syntheticTask(space);
      const m = new FakeMeasure();
      const summary = await makers[kind]!(task, seed).tune({ nTrial: 160, measureOption: m, batchSize: 8, measureDefaultFirst: false });
      expect(summary.trials).toBe(160);
      const bad = m.seen.filter((i) => !ruleOk(space, i));
      expect(bad, `${kind} seed ${seed} proposed rejected configs`).toEqual([]);
      expect(new Set(m.seen).size).toBe(160);
      expect(ruleOk(space, summary.bestConfig!.index)).toBe(true);
    }
  }, 120_000);

  it('exhausts exactly the valid configs of a small space', async () => {
    const s = smallSpace();
    const task = syntheticTask(s);
    const m = new FakeMeasure(new Set(), (_t, i) => 1 + i);
    const summary = await makers[kind]!(task, 3).tune({ nTrial: s.length, measureOption: m, batchSize: 4, measureDefaultFirst: false });
    const n = nValid(s);
    expect(n).toBeLessThan(s.length);
    expect(summary.stoppedBy).toBe('spaceExhausted');
    expect(summary.trials).toBe(n);
    expect(new Set(m.seen).size).toBe(n);
    expect(m.seen.every((i) => ruleOk(s, i))).toBe(true);
  }, 120_000);
});

describe('the search side refuses rejected configs', () => {
  it('simulated annealing returns only valid configs even when the model prefers rejected ones', () => {
    // The true function plus a bonus for exactly the configs the filter rejects.
    const model: Scorer = { predict: (ix) => Float32Array.from(ix, (i) => syntheticGflops(space, i) + (ruleOk(space, i) ? 0 : 1000)) };
    for (const seed of [1, 2]) {
      const top = new SimulatedAnnealingOptimizer(space, { seed }).findMaximums(model, 32, new Set());
      expect(top.length).toBe(32);
      expect(top.filter((i) => !ruleOk(space, i))).toEqual([]);
    }
  });

  it('the tune loop throws when a tuner proposes a rejected config', async () => {
    class Careless extends Tuner {
      nextBatch(): ReturnType<Tuner['nextBatch']> {
        return [space.entityAt(syntheticOptimum(space))];
      }
    }
    await expect(new Careless(syntheticTask(space)).tune({ nTrial: 1, measureOption: new FakeMeasure() })).rejects.toThrow(/multiFilter rejects/);
  });
});
