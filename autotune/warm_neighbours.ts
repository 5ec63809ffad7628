// autotune/warm_neighbours.ts — a model-based tuner's proposals between a warm start and its first model fit:
// every one-knob change of the incumbent (Ansor's and MetaSchedule's evolutionary search start from the measured
// best and mutate it while their cost model has too few points to rank), instead of random configs (AutoTVM's
// XGBTuner before its first plan_size results) or an SA plan from a model fitted on one or two points.

import type { Rng } from './rng.js';
import type { ConfigSpace } from './space.js';

/**
 * Every config of `space` that differs from `base` in exactly one knob, is accepted by the template's multiFilter
 * and is not `taken`, in the order a warm-started tuner measures them: a round robin over the knobs in a random
 * order, each knob's other values in a random order — so the first k proposals change min(k, movable knobs)
 * different knobs (a sweep of every knob once before any knob twice), all drawn from `rng` (the tuner's seed).
 * Returns [] when no knob of `base` can change to an untaken valid value. Throws RangeError for an index outside
 * the space (ConfigSpace.pointToKnobs).
 */
export function oneKnobNeighbours(space: ConfigSpace, base: number, rng: Rng, taken: (index: number) => boolean): number[] {
  const dims = space.dims;
  const knobs = space.pointToKnobs(base);
  const perKnob: number[][] = [];
  for (const k of rng.shuffle(dims.map((_, i) => i))) {
    const values = rng.shuffle(Array.from({ length: dims[k]! }, (_, v) => v).filter((v) => v !== knobs[k]));
    const points: number[] = [];
    for (const v of values) {
      const next = [...knobs];
      next[k] = v;
      const i = space.knobsToPoint(next);
      if (!taken(i) && space.isIndexValid(i)) points.push(i);
    }
    if (points.length > 0) perKnob.push(points);
  }
  const out: number[] = [];
  for (let round = 0; perKnob.some((p) => round < p.length); round++) {
    for (const p of perKnob) if (round < p.length) out.push(p[round]!);
  }
  return out;
}
