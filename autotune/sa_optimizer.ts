// autotune/sa_optimizer.ts — AutoTVM's SimulatedAnnealingOptimizer: parallel random walks over a config
// space guided by a cost model, returning the best-predicted valid configs not yet measured.

import type { ConfigSpace } from './space.js';
import { Rng } from './rng.js';
import type { Scorer } from './cost_model.js';

export interface SAOptions {
  /** Walk steps per round (AutoTVM: 500). */
  readonly nIter?: number;
  /** Temperature from temp[0] down to temp[1] over the steps (AutoTVM: [1, 0]). */
  readonly temp?: readonly [number, number];
  /** Keep the walkers' positions between rounds (AutoTVM: true). */
  readonly persistent?: boolean;
  /** Number of walkers (AutoTVM: 128). */
  readonly parallelSize?: number;
  /** Stop when the top set has not changed for this many steps (AutoTVM: 50). */
  readonly earlyStop?: number;
  /**
   * At most this many configs per predicted score in the result (default Infinity: AutoTVM). A tree
   * model's score is piecewise constant: configs that differ only in knobs no tree splits on tie, and the
   * top `num` can fill with one such group (on the NCHW conv template, one tile × its 192 combinations of
   * unroll/pad/parallel/vectorize knobs), so a plan measures one or two distinct schedules. 1 makes each
   * plan hold `num` configs the model tells apart. Not in AutoTVM; measured in docs/search.md (round 5).
   */
  readonly maxPerScore?: number;
  readonly seed?: number;
}

/**
 * A min-heap of (score, index) keeping the `num` best distinct indices, and at most `maxPerScore` of them
 * per score (the first offered keep their places: a later one with an equal score is refused).
 */
export class TopK {
  private readonly scores: number[] = [];
  private readonly items: number[] = [];
  readonly members = new Set<number>();
  /**
   * Configs taken per score (kept only when maxPerScore is finite). An evicted config's score is the heap's
   * minimum, and the minimum never falls, so no later offer with that score can enter: counts never drop.
   */
  private readonly perScore = new Map<number, number>();

  constructor(private readonly num: number, private readonly maxPerScore = Infinity) {}

  private count(score: number): void {
    if (this.maxPerScore !== Infinity) this.perScore.set(score, (this.perScore.get(score) ?? 0) + 1);
  }

  get minScore(): number {
    return this.items.length < this.num ? -Infinity : this.scores[0]!;
  }

  /** Offers a candidate; returns whether the set changed. */
  offer(score: number, index: number): boolean {
    if (this.members.has(index) || this.num <= 0) return false;
    if ((this.perScore.get(score) ?? 0) >= this.maxPerScore) return false;
    if (this.items.length < this.num) {
      this.scores.push(score);
      this.items.push(index);
      this.members.add(index);
      this.count(score);
      this.up(this.items.length - 1);
      return true;
    }
    if (!(score > this.scores[0]!)) return false;
    this.members.delete(this.items[0]!);
    this.scores[0] = score;
    this.items[0] = index;
    this.members.add(index);
    this.count(score);
    this.down(0);
    return true;
  }

  /** Indices, best first. */
  sorted(): number[] {
    return this.items.map((it, i) => [this.scores[i]!, it] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map((x) => x[1]);
  }

  private swap(i: number, j: number): void {
    [this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!];
    [this.items[i], this.items[j]] = [this.items[j]!, this.items[i]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.scores[p]! <= this.scores[i]!) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.items.length && this.scores[l]! < this.scores[m]!) m = l;
      if (r < this.items.length && this.scores[r]! < this.scores[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

export class SimulatedAnnealingOptimizer {
  readonly nIter: number;
  readonly temp: readonly [number, number];
  readonly persistent: boolean;
  readonly parallelSize: number;
  readonly earlyStop: number;
  readonly maxPerScore: number;
  private readonly rng: Rng;
  private points: number[] | undefined;
  /** Warm-start points (seed()): the first walkers start on them. */
  private seeds: number[] = [];
  /** Model evaluations (configs scored) so far, for reports and tests. */
  evaluations = 0;

  constructor(private readonly space: ConfigSpace, opts: SAOptions = {}) {
    this.nIter = opts.nIter ?? 500;
    this.temp = opts.temp ?? [1, 0];
    this.persistent = opts.persistent ?? true;
    this.parallelSize = Math.min(opts.parallelSize ?? 128, space.validLength ?? space.length);
    this.earlyStop = opts.earlyStop ?? 50;
    this.maxPerScore = opts.maxPerScore ?? Infinity;
    if (!(this.maxPerScore >= 1)) throw new RangeError(`SimulatedAnnealingOptimizer: maxPerScore must be ≥ 1, got ${this.maxPerScore}`);
    this.rng = new Rng(opts.seed ?? 0);
  }

  /**
   * The `num` configs with the highest predicted score found by the walk, best first, none of
   * them in `exclusive` (the configs already measured or planned), at most `maxPerScore` per score
   * (then fewer than `num` when the walk met too few distinct scores).
   */
  findMaximums(model: Scorer, num: number, exclusive: ReadonlySet<number>): number[] {
    const space = this.space;
    const points = this.persistent && this.points ? [...this.points] : this.startPoints();
    // Seeds given since the last round take the first walkers' places (once).
    this.seeds.slice(0, points.length).forEach((p, i) => { points[i] = p; });
    this.seeds = [];
    const scores = this.score(model, points);
    const top = new TopK(Math.min(num, space.length - exclusive.size), this.maxPerScore);
    // Walkers start on and step to configs the template's multiFilter accepts, so only those enter the result.
    const offer = (s: number, p: number): boolean => !exclusive.has(p) && top.offer(s, p);
    points.forEach((p, i) => offer(scores[i]!, p));

    const [t0, t1] = this.temp;
    const cool = (t0 - t1) / (this.nIter + 1);
    let t = t0;
    let lastModify = 0;
    for (let k = 0; k < this.nIter && k < lastModify + this.earlyStop; k++) {
      const next = points.map((p) => space.validNeighbour(p, this.rng));
      const nextScores = this.score(model, next);
      for (let i = 0; i < points.length; i++) {
        // Metropolis acceptance: always uphill, downhill with probability exp(Δ / T).
        const prob = Math.exp(Math.min((nextScores[i]! - scores[i]!) / (t + 1e-5), 1));
        if (this.rng.next() < prob) {
          points[i] = next[i]!;
          scores[i] = nextScores[i]!;
        }
      }
      next.forEach((p, i) => { if (offer(nextScores[i]!, p)) lastModify = k; });
      t -= cool;
    }
    if (this.persistent) this.points = points;
    return top.sorted();
  }

  /**
   * Warm start: the next round's first walkers start on these configs (valid ones, distinct, at most
   * parallelSize), the rest where they would have (random, or kept from the last round).
   */
  seed(points: readonly number[]): void {
    this.seeds = [...new Set(points)].filter((p) => this.space.isIndexValid(p)).slice(0, this.parallelSize);
  }

  private startPoints(): number[] {
    const n = this.parallelSize;
    const chosen = new Set<number>();
    // Distinct random starting points (AutoTVM's sample_ints).
    while (chosen.size < n) {
      const p = this.space.sampleValid(this.rng, chosen);
      if (p === undefined) break;
      chosen.add(p);
    }
    return [...chosen];
  }

  private score(model: Scorer, points: readonly number[]): Float32Array {
    this.evaluations += points.length;
    return model.predict(points);
  }
}
