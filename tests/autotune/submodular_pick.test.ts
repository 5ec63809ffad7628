// tests/autotune/submodular_pick.test.ts — autotune/submodular.ts against AutoTVM's submodular_pick
// (python/tvm/autotvm/tuner/model_based_tuner.py) written out again in plain JS below, on seeded random score
// tables: knob weights other than 1, negative and tied scores, knob rows of several widths, and more picks asked
// than there are candidates (the pick then stops at all of them, where AutoTVM's list.remove(-1) would raise).

import { describe, expect, it } from 'vitest';
import { Rng } from '../../autotune/rng.js';
import { submodularPick } from '../../autotune/submodular.js';

/** AutoTVM's loop: `for _ in range(n_pick)`, each x of `remain` in list order, strict `>` over max_delta = -1e9. */
function autotvmPick(scores: readonly number[], knobs: readonly (readonly number[])[], nPick: number, knobWeight = 1): number[] {
  const nKnobs = knobs[0]!.length;
  const knobsSet = Array.from({ length: nKnobs }, () => new Set<number>());
  const ret: number[] = [];
  const remain = scores.map((_, i) => i);
  for (let t = 0; t < Math.min(nPick, scores.length); t++) {
    let maxX = -1;
    let maxDelta = -1e9;
    for (const x of remain) {
      let tmpDelta = scores[x]!;
      for (let i = 0; i < nKnobs; i++) if (!knobsSet[i]!.has(knobs[x]![i]!)) tmpDelta += knobWeight;
      if (tmpDelta > maxDelta) [maxDelta, maxX] = [tmpDelta, x];
    }
    ret.push(maxX);
    remain.splice(remain.indexOf(maxX), 1);
    for (let i = 0; i < nKnobs; i++) knobsSet[i]!.add(knobs[maxX]![i]!);
  }
  return ret;
}

describe('submodularPick matches AutoTVM', () => {
  it('on 300 seeded random tables (weights 0, 0.5, 1, 3; scores with ties and negatives; 1–4 knobs)', () => {
    const rng = new Rng(1601);
    const int = (n: number): number => Math.floor(rng.next() * n);
    let differentFromTopScores = 0;
    for (let t = 0; t < 300; t++) {
      const n = 1 + int(12);
      const nKnobs = 1 + int(4);
      const knobs = Array.from({ length: n }, () => Array.from({ length: nKnobs }, () => int(3)));
      // Integer scores in [−3, 3) make ties common; the tie goes to the lower position in both.
      const scores = Array.from({ length: n }, () => int(6) - 3);
      const weight = [0, 0.5, 1, 3][t % 4]!;
      const nPick = 1 + int(n + 3);
      const got = submodularPick(scores, knobs, nPick, weight);
      const want = autotvmPick(scores, knobs, nPick, weight);
      expect(got, `scores ${scores} knobs ${JSON.stringify(knobs)} nPick ${nPick} weight ${weight}`).toEqual(want);
      expect(new Set(got).size).toBe(got.length);
      expect(got.length).toBe(Math.min(nPick, n));
      // Knob coverage changes the pick somewhere (else this would only test a sort by score).
      const byScore = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, got.length);
      if (weight > 0 && got.join() !== byScore.join()) differentFromTopScores++;
    }
    expect(differentFromTopScores).toBeGreaterThan(30);
  });

  it('the knob weight defaults to 1', () => {
    const knobs = [[0, 0], [0, 0], [1, 1], [0, 1], [2, 0]];
    const scores = [1.5, 0, 0, 0.4, 0.2];
    expect(submodularPick(scores, knobs, 5)).toEqual(autotvmPick(scores, knobs, 5, 1));
    // Worked by hand: 0 (1.5 + 2 new values); then 2 (0 + 2) over 3 (0.4 + 1) and 4 (0.2 + 1); then 4 (0.2 + 1 for its
    // knob-0 value 2) over 3 (0.4 + 0) and 1 (0); then 3, then 1.
    expect(submodularPick(scores, knobs, 5)).toEqual([0, 2, 4, 3, 1]);
  });

  it('asking for more picks than candidates returns each candidate once; no candidates or no picks give []', () => {
    const knobs = [[0], [1], [1]];
    expect(submodularPick([0, 0, 0], knobs, 7)).toEqual([0, 1, 2]);
    expect(submodularPick([0, 0, 5], knobs, 3)).toEqual([2, 0, 1]);
    expect(submodularPick([], [], 3)).toEqual([]);
    expect(submodularPick([1, 2, 3], knobs, 0)).toEqual([]);
  });

  it('NaN and −∞ scores rank last instead of crashing; every score −∞ or NaN still picks each candidate once', () => {
    const knobs = [[0, 0], [1, 0], [0, 1]];
    expect(submodularPick([-Infinity, -Infinity, -Infinity], knobs, 3)).toEqual([0, 1, 2]);
    expect(submodularPick([Number.NaN, Number.NaN, Number.NaN], knobs, 2)).toEqual([0, 1]);
    // A NaN ranks as −∞: the two finite candidates come first, whatever the NaN's knob coverage.
    expect(submodularPick([Number.NaN, 0, -5], knobs, 3)).toEqual([1, 2, 0]);
  });

  it('one score per candidate, else a RangeError naming both counts', () => {
    expect(() => submodularPick([1, 2], [[0], [1], [2]], 2)).toThrow(/2 scores for 3 candidates/);
  });
});
