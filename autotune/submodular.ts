// autotune/submodular.ts — AutoTVM's diversity-aware pick (submodular_pick in
// python/tvm/autotvm/tuner/model_based_tuner.py): used by a model-based tuner's diversity filter and its local plan.

/**
 * AutoTVM's submodular_pick: greedily picks `nPick` candidates maximizing score plus `knobWeight`
 * for each knob value not yet covered by the picks so far. Returns positions into `knobs`.
 * A NaN score ranks as −∞, and when every delta is −∞ the first remaining candidate is taken (AutoTVM's loop
 * would index with −1 there). Throws a RangeError when `scores` and `knobs` differ in length.
 */
export function submodularPick(scores: readonly number[], knobs: readonly (readonly number[])[], nPick: number, knobWeight = 1): number[] {
  if (scores.length !== knobs.length) {
    throw new RangeError(`submodularPick: ${scores.length} scores for ${knobs.length} candidates (one score per candidate)`);
  }
  const nKnobs = knobs[0]?.length ?? 0;
  const covered = Array.from({ length: nKnobs }, () => new Set<number>());
  const remain = new Set(knobs.map((_, i) => i));
  const picked: number[] = [];
  while (picked.length < nPick && remain.size > 0) {
    let best = -1;
    let bestDelta = -Infinity;
    for (const x of remain) {
      const score = scores[x]!;
      let delta = Number.isNaN(score) ? -Infinity : score;
      for (let i = 0; i < nKnobs; i++) if (!covered[i]!.has(knobs[x]![i]!)) delta += knobWeight;
      if (best < 0 || delta > bestDelta) { bestDelta = delta; best = x; }
    }
    picked.push(best);
    remain.delete(best);
    for (let i = 0; i < nKnobs; i++) covered[i]!.add(knobs[best]![i]!);
  }
  return picked;
}
