// autotune/submodular.ts — AutoTVM's diversity-aware pick (submodular_pick in
// python/tvm/autotvm/tuner/model_based_tuner.py): used by a model-based tuner's diversity filter and its local plan.

/**
 * AutoTVM's submodular_pick: greedily picks `nPick` candidates maximizing score plus `knobWeight`
 * for each knob value not yet covered by the picks so far. Returns positions into `knobs`.
 */
export function submodularPick(scores: readonly number[], knobs: readonly (readonly number[])[], nPick: number, knobWeight = 1): number[] {
  const nKnobs = knobs[0]?.length ?? 0;
  const covered = Array.from({ length: nKnobs }, () => new Set<number>());
  const remain = new Set(knobs.map((_, i) => i));
  const picked: number[] = [];
  while (picked.length < nPick && remain.size > 0) {
    let best = -1;
    let bestDelta = -Infinity;
    for (const x of remain) {
      let delta = scores[x]!;
      for (let i = 0; i < nKnobs; i++) if (!covered[i]!.has(knobs[x]![i]!)) delta += knobWeight;
      if (delta > bestDelta) { bestDelta = delta; best = x; }
    }
    picked.push(best);
    remain.delete(best);
    for (let i = 0; i < nKnobs; i++) covered[i]!.add(knobs[best]![i]!);
  }
  return picked;
}
