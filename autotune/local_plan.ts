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

/** `cands` by the model's predicted score, best first (ties: lower index first). */
function byScore(model: Scorer, cands: readonly number[]): number[] {
  const scores = model.predict(cands);
  return cands.map((_, k) => k).sort((a, b) => scores[b]! - scores[a]! || cands[a]! - cands[b]!).map((k) => cands[k]!);
}

/**
 * Up to `n` configs within two knob changes of `base` (knobNeighbourhood), none `taken`: the model's 2n best by
 * predicted score (ties: lower index first), of which submodularPick (zero scores, knob weight 1) keeps the n that
 * cover the most distinct knob values, in pick order. Fewer when the neighbourhood is smaller; [] for n ≤ 0.
 *
 * `oneKnobFirst` (round 17): the untaken one-knob neighbours of `base` come first, all of them up to n, best predicted
 * first, and only the rest of the n is picked as above from the two-knob ring — so a new incumbent's every one-knob
 * change is measured within ⌈(its one-knob count) / n⌉ plans whatever the model predicts for it. Why: on D1 (seed 4
 * of round 17) the model ranked the incumbent's one-knob change to the best code family below 16 of ~250 neighbours
 * for 120 trials (docs/search.md, round 17). Default false: the plans of round 13 exactly.
 */
export function localPlan(model: Scorer, space: ConfigSpace, base: number, n: number, taken: (index: number) => boolean, oneKnobFirst = false): number[] {
  if (n <= 0) return [];
  const first = oneKnobFirst ? byScore(model, knobNeighbourhood(space, base, 1, taken)).slice(0, n) : [];
  const m = n - first.length;
  if (m === 0) return first;
  const chosen = new Set(first);
  const cands = knobNeighbourhood(space, base, 2, (i) => taken(i) || chosen.has(i));
  if (cands.length === 0) return first;
  const top = byScore(model, cands).slice(0, 2 * m);
  const knobs = top.map((c) => space.pointToKnobs(c));
  return [...first, ...submodularPick(top.map(() => 0), knobs, Math.min(m, top.length)).map((k) => top[k]!)];
}
