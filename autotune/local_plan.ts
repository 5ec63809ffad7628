// autotune/local_plan.ts — a share of each model-guided plan drawn from the incumbent's neighbourhood (configs within
// two knob changes of the best measured), ranked by the model and picked for diversity. Why: a warm-started tuner
// whose one-knob climb finds nothing above the default fits its first model on the default and its one-knob
// neighbours; SA then plans configs 4–9 knobs away that the model cannot rank (C2 seed 4 of round 12: 112 model
// trials, none above the default, most under 15 % of it — docs/search.md, round 13). The model, fitted on one-knob
// changes, does rank two-knob combinations of them; Ansor's and MetaSchedule's evolutionary searches likewise keep
// mutating the measured best while their models plan. The diversity pick is AutoTVM's (ModelBasedTuner with
// diversity_filter_ratio 2: submodular_pick with zero scores over the model's top 2n).

import type { Scorer } from './cost_model.js';
import type { ConfigSpace } from './space.js';
import { submodularPick } from './submodular.js';

/**
 * Every config of `space` that differs from `base` in 1 to `radius` knobs, is accepted by the template's multiFilter
 * (isIndexValid) and is not `taken`, in increasing index order. Size: Σ(dᵢ−1) + Σᵢ<ⱼ(dᵢ−1)(dⱼ−1) for radius 2 (a few
 * hundred on this project's templates). Throws RangeError for a radius that is not a positive integer or an index
 * outside the space (ConfigSpace.pointToKnobs).
 */
export function knobNeighbourhood(space: ConfigSpace, base: number, radius: number, taken: (index: number) => boolean): number[] {
  if (!Number.isInteger(radius) || radius < 1) throw new RangeError(`knobNeighbourhood: radius must be a positive integer, got ${radius}`);
  const dims = space.dims;
  const knobs = space.pointToKnobs(base);
  const out: number[] = [];
  const cur = [...knobs];
  // Knobs are changed in increasing order, so each config is reached once.
  const walk = (from: number, left: number): void => {
    for (let k = from; k < dims.length; k++) {
      for (let v = 0; v < dims[k]!; v++) {
        if (v === knobs[k]) continue;
        cur[k] = v;
        const i = space.knobsToPoint(cur);
        if (!taken(i) && space.isIndexValid(i)) out.push(i);
        if (left > 1) walk(k + 1, left - 1);
      }
      cur[k] = knobs[k]!;
    }
  };
  walk(0, radius);
  return out.sort((a, b) => a - b);
}

/**
 * Up to `n` configs within two knob changes of `base` (knobNeighbourhood), none `taken`: the model's 2n best by
 * predicted score (ties: lower index first), of which submodularPick (zero scores, knob weight 1) keeps the n that
 * cover the most distinct knob values, in pick order. Fewer when the neighbourhood is smaller; [] for n ≤ 0.
 */
export function localPlan(model: Scorer, space: ConfigSpace, base: number, n: number, taken: (index: number) => boolean): number[] {
  if (n <= 0) return [];
  const cands = knobNeighbourhood(space, base, 2, taken);
  if (cands.length === 0) return [];
  const scores = model.predict(cands);
  const order = cands.map((_, k) => k).sort((a, b) => scores[b]! - scores[a]! || cands[a]! - cands[b]!);
  const top = order.slice(0, 2 * n).map((k) => cands[k]!);
  const knobs = top.map((c) => space.pointToKnobs(c));
  return submodularPick(top.map(() => 0), knobs, Math.min(n, top.length)).map((k) => top[k]!);
}
